/*
 * submit_user - one user-name list check.  The list is parsed for each
 * call: commands check once per run.
 */
#include <pwd.h>
#include <sys/types.h>
#include <unistd.h>

#include "config/string_list.h"
#include "dict/dict_match.h"
#include "mail/submit_user.h"
#include "util/msg.h"
#include "util/strbuf.h"

void submit_user_check(const char *param, const char *patterns, const char *action, int status)
{
	struct strbuf *error = strbuf_new(STRBUF_UNLIMITED);
	struct passwd *pw = getpwuid(getuid());
	const char *name = pw != NULL ? pw->pw_name : "unknown";
	struct string_list *list;
	const char *why;

	if ((list = string_list_new(patterns, dict_match_tables(), error)) == NULL)
		msg_fatal_status(status, "%s: %s", param, strbuf_str(error));
	switch (string_list_match(list, name, &why)) {
	case MATCH_LIST_YES:
		break;
	case MATCH_LIST_ERROR:
		msg_fatal_status(status, "%s: %s", param, why);
	default:
		msg_fatal_status(status, "User %s(%ld) is not allowed to %s", name, (long)getuid(),
		                 action);
	}
	string_list_free(&list);
	strbuf_free(&error);
}
