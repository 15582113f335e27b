/*
 * submit_user - who may submit or flush mail: the login name of the real
 * user matched against a user-name list such as authorized_submit_users
 * (sendmail and postdrop) or authorized_flush_users (sendmail -q), as
 * Postfix checks them.  A user without a password entry is "unknown".
 */
#ifndef POSTERN_MAIL_SUBMIT_USER_H
#define POSTERN_MAIL_SUBMIT_USER_H

/*
 * Exits through msg_fatal_status(status, ...) unless the real user's
 * login name matches patterns, the value of parameter param: "User
 * NAME(UID) is not allowed to ACTION" when it does not match, "PARAM:
 * REASON" when the list is invalid or a table lookup failed.
 */
void submit_user_check(const char *param, const char *patterns, const char *action, int status);

#endif
