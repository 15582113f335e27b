/*
 * postconf_info - the listing options that do not read main.cf: table
 * types (-m), locking methods (-l) and TLS library facts (-T).  Each lists only what this build
 * really implements.
 */
#include <gnutls/gnutls.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "postconf.h"
#include "dict/dict.h"
#include "util/lock.h"
#include "util/msg.h"

void postconf_info_tables(void)
{
	for (const char *const *name = dict_type_names(); *name; name++)
		puts(*name);
}

void postconf_info_locks(void)
{
	for (const char *const *name = lock_method_names(); *name; name++)
		puts(*name);
}

/* The key types a TLS server or client certificate may have, as Postfix names them. */
static void print_pk_algorithms(void)
{
	static const struct {
		gnutls_pk_algorithm_t pk;
		const char *name;
	} names[] = {
	    {GNUTLS_PK_RSA, "rsa"},
	    {GNUTLS_PK_ECDSA, "ecdsa"},
	    {GNUTLS_PK_EDDSA_ED25519, "ed25519"},
	    {GNUTLS_PK_EDDSA_ED448, "ed448"},
	};
	const gnutls_pk_algorithm_t *have = gnutls_pk_list();

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		for (size_t j = 0; have[j] != GNUTLS_PK_UNKNOWN; j++)
			if (have[j] == names[i].pk) {
				puts(names[i].name);
				break;
			}
}

int postconf_info_tls(const char *mode)
{
	if (strcmp(mode, "compile-version") == 0)
		printf("GnuTLS %s\n", GNUTLS_VERSION);
	else if (strcmp(mode, "run-version") == 0)
		printf("GnuTLS %s\n", gnutls_check_version(NULL));
	else if (strcmp(mode, "public-key-algorithms") == 0)
		print_pk_algorithms();
	else {
		msg_warn("unknown 'postconf -T' mode: %s", mode);
		return 1;
	}
	return 0;
}
