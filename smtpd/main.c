/*
 * NAME
 *	smtpd - the SMTP server
 * SYNOPSIS
 *	smtpd [generic daemon options]
 * DESCRIPTION
 *	Receives mail over SMTP (RFC 5321) with the ESMTP extensions
 *	PIPELINING, SIZE, VRFY, ETRN, ENHANCEDSTATUSCODES, 8BITMIME, DSN,
 *	SMTPUTF8 and CHUNKING, one client per process, started by master
 *	for a "smtp inet" service.  Mail goes to the cleanup service
 *	(public/cleanup), which is contacted at the first accepted
 *	recipient; the final 250 reply is sent only after cleanup reports
 *	the queue file durable.
 *
 *	Commands: HELO, EHLO, MAIL FROM (SIZE, BODY=7BIT/8BITMIME/BINARYMIME,
 *	SMTPUTF8, RET, ENVID, AUTH), RCPT TO (NOTIFY, ORCPT), DATA, BDAT,
 *	RSET, NOOP, VRFY, ETRN, QUIT.  Replies, enhanced status codes and
 *	log lines follow Postfix's smtpd.
 *
 *	Relay control: each recipient must pass smtpd_relay_restrictions and
 *	then smtpd_recipient_restrictions (smtpd_delay_reject semantics: all
 *	decisions are taken at RCPT time).  Supported restrictions: permit,
 *	reject, defer, permit_mynetworks, permit_sasl_authenticated,
 *	reject_unauth_destination, defer_unauth_destination,
 *	reject_non_fqdn_recipient, reject_non_fqdn_sender.  An unknown name
 *	is logged and answered with 451 4.3.5.  smtpd refuses to start when
 *	neither list can refuse a foreign destination.
 * PARAMETERS
 *	defer_code (450) reply code of the defer restriction
 *	disable_vrfy_command (no) answer VRFY with 502
 *	inet_interfaces (all) our addresses, for address-literal recipients
 *	ipc_timeout (3600s) time limit for the cleanup conversation
 *	line_length_limit (2048) longest command line; longer content lines go to cleanup in pieces
 *	mail_name (postern) name in the Received: header
 *	message_size_limit (10240000) largest message; SIZE in the EHLO reply
 *	mydestination ($myhostname, localhost.$mydomain, localhost) our domains
 *	myhostname (computed) name in the banner, replies and Received:
 *	mynetworks (computed) trusted clients for permit_mynetworks
 *	myorigin ($myhostname) domain of a recipient without one
 *	non_fqdn_reject_code (504) reply code of reject_non_fqdn_*
 *	parent_domain_matches_subdomains (...) list matching style
 *	reject_code (554) reply code of the reject restriction
 *	relay_domains (compatibility_level dependent) domains we relay to
 *	relay_domains_reject_code (554) reply code of reject_unauth_destination
 *	smtpd_banner ($myhostname ESMTP $mail_name) text after "220 "
 *	smtpd_discard_ehlo_keywords () EHLO keywords not announced
 *	smtpd_error_sleep_time (1s) delay of error replies past the soft limit
 *	smtpd_forbid_bare_newline (normalize) bare LF policy: no, normalize/yes, reject
 *	smtpd_forbid_bare_newline_exclusions ($mynetworks) clients exempt from reject
 *	smtpd_forbidden_commands (CONNECT GET POST regexp:{{/^[^A-Z]/ Bogus}}) commands that end the
 *session smtpd_hard_error_limit (20) errors after which the session ends smtpd_helo_required (no)
 *require HELO/EHLO before MAIL, RCPT, DATA, BDAT, VRFY, ETRN smtpd_recipient_limit (1000)
 *recipients per message smtpd_recipient_restrictions () restrictions after the relay check
 *	smtpd_relay_restrictions (permit_mynetworks, permit_sasl_authenticated,
 *defer_unauth_destination) relay check smtpd_soft_error_limit (10) errors after which replies are
 *delayed smtpd_timeout (300s) time limit for each read and write LOG LINES connect from NAME[ADDR]
 *	disconnect from NAME[ADDR] ehlo=1 mail=1 rcpt=1/2 data=1 quit=1 commands=5/6
 *	QUEUEID: client=NAME[ADDR]
 *	NOQUEUE: reject: RCPT from NAME[ADDR]: REPLY; from=<S> to=<R> proto=ESMTP helo=<H>
 *	QUEUEID: reject: END-OF-MESSAGE from NAME[ADDR]: bare <LF> received; from=<S> to=<R>
 *proto=ESMTP helo=<H> improper command pipelining after CMD from NAME[ADDR]: C-ESCAPED-INPUT
 *	timeout after CMD from NAME[ADDR]
 *	lost connection after CMD from NAME[ADDR]
 *	too many errors after CMD from NAME[ADDR]
 *	warning: non-SMTP command from NAME[ADDR]: LINE
 *	warning: Illegal address syntax from NAME[ADDR] in RCPT command: ADDRESS
 *	warning: QUEUEID: malformed BDAT command syntax from NAME[ADDR]: LINE
 *	warning: reject: ETRN DOMAIN... from NAME[ADDR]
 *	warning: unknown smtpd restriction: "NAME"
 *	NAME is "unknown" until reverse lookups with forward confirmation exist.
 * SECURITY
 *	Talks to the network: runs as mail_owner, never as root
 *	(SERVER_NETWORK).  Every client byte is read with a length limit;
 *	bad input is answered, never fatal.  Peer text is made printable
 *	before it is logged.
 *
 *	Deliberate difference: smtpd_forbid_bare_newline defaults to
 *	normalize (Postfix 3.9's default) instead of Postfix 3.7's no, so
 *	only CR LF . CR LF ends a message (SMTP smuggling defence).
 * BUGS
 *	Not yet: STARTTLS, AUTH, XCLIENT, the client/helo/sender/data
 *	restriction classes, access maps, reject_unknown_*_domain,
 *	local_recipient_maps, proxy_interfaces, policy services, milters,
 *	reverse DNS of the client, and a fast flush service for ETRN.
 * SEE ALSO
 *	cleanup/main.c, lib/mail/smtp_cmd.h, lib/mail/cleanup_client.h
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "config/params.h"
#include "server/single_server.h"
#include "smtpd.h"
#include "util/alloc.h"
#include "util/msg.h"
#include "util/units.h"

bool smtpd_param_bool(const char *name, const char *value)
{
	const char *error;
	bool result;

	if (!units_bool(name, value, &result, &error))
		msg_fatal("%s", error);
	return result;
}

static void smtpd_init(const char *service_name, char **argv)
{
	static const char *const bare_lf[] = {"no", "normalize", "yes", "reject"};
	bool known = false;

	for (size_t i = 0; i < sizeof(bare_lf) / sizeof(bare_lf[0]); i++)
		known = known || strcasecmp(var_smtpd_forbid_bare_newline, bare_lf[i]) == 0;
	if (!known)
		msg_fatal("invalid smtpd_forbid_bare_newline value: \"%s\"",
		          var_smtpd_forbid_bare_newline);
	smtpd_param_bool("smtpd_helo_required", var_smtpd_helo_required);
	smtpd_param_bool("disable_vrfy_command", var_disable_vrfy_command);
	smtpd_check_init();
}

/* The client's address in text form ("unknown" when it has none). */
static char *smtpd_peer_addr(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char text[INET6_ADDRSTRLEN];

	if (getpeername(fd, (struct sockaddr *)&ss, &len) != 0)
		return xstrdup("unknown");
	if (ss.ss_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, text, sizeof(text));
	else if (ss.ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, text, sizeof(text));
	else
		return xstrdup("unknown");
	return xstrdup(text);
}

static void smtpd_service(struct stream *client, const char *service_name, char **argv)
{
	struct smtpd_state state = {.client = client, .protocol = "SMTP", .where = "CONNECT"};
	struct strbuf *namaddr = strbuf_new(STRBUF_UNLIMITED);

	state.name = xstrdup("unknown");
	state.addr = smtpd_peer_addr(stream_fd(client));
	strbuf_printf(namaddr, "%s[%s]", state.name, state.addr);
	state.namaddr = strbuf_export(&namaddr);
	state.line = strbuf_new((size_t)var_line_length_limit);
	state.bdat_line = strbuf_new((size_t)var_line_length_limit);
	state.in_mynetworks = smtpd_check_mynetworks(state.name, state.addr);
	state.bare_lf_excluded = smtpd_check_bare_lf_excluded(state.name, state.addr);
	smtpd_log_connect(&state);
	smtpd_proto(&state);
	smtpd_reset(&state);
	smtpd_log_disconnect(&state);
	free(state.rcpts);
	free(state.helo_name);
	free(state.name);
	free(state.addr);
	free(state.namaddr);
	strbuf_free(&state.line);
	strbuf_free(&state.bdat_line);
}

int main(int argc, char **argv)
{
	static const struct single_server_spec spec = {
	    .server = {.flags = SERVER_NETWORK, .post_init = smtpd_init},
	    .service = smtpd_service,
	};

	single_server_main(argc, argv, &spec);
}
