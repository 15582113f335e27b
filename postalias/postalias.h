/*
 * postalias - the alias table command's private declarations.
 */
#ifndef POSTERN_POSTALIAS_POSTALIAS_H
#define POSTERN_POSTALIAS_POSTALIAS_H

#include "dict/dict_cmd_main.h"

/* The program description that postalias and newaliases share. */
extern const struct dict_cmd_program postalias_program;

/*
 * Runs as newaliases: builds every table in alias_database.  Returns the
 * exit status; errors are fatal.
 */
int postalias_newaliases(int argc, char **argv);

#endif
