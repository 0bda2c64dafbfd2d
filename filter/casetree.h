/*
 * casetree.h - a case's temporary directory: made under TMPDIR with the
 * folders a run gets (case/, a copy of the case folder, and home/, tmp/,
 * gocache/, gopath/), handed to the unprivileged uid the cases run as
 * (the directory holding them stays ours), and removed afterwards,
 * read-only module cache and all.  The copy follows no symbolic link.
 *
 * The caller owns the directory's name (a malloc'ed string) and removes
 * the directory with casetree_remove() unless it keeps it (--keep).
 */
#ifndef GOERRFILT_CASETREE_H
#define GOERRFILT_CASETREE_H

#include <sys/types.h>

/* The folders made in the directory; "case" is the copy of the case. */
#define CASETREE_CASE "case"
#define CASETREE_NSUBS 5
/* "case", "home", "tmp", "gocache", "gopath": the writable ones. */
extern const char *const casetree_subs[CASETREE_NSUBS];

/*
 * Makes TMPBASE/goerrfilt-repro.XXXXXX with its folders, copies the case
 * folder src into its case/ (links as links) and, when uid is not
 * (uid_t)-1, gives the folders to uid:gid.  Returns 0 with *root set, or -1 with *why saying what
 * failed (the caller frees both); *root is set from the moment the
 * directory exists, so a failure after that leaves something to remove.
 * A file that cannot be copied is also reported on stderr.
 */
int casetree_make(const char *tmpbase, const char *src, uid_t uid, gid_t gid,
    char **root, char **why);

/* Removes the directory and everything in it; errors are ignored. */
void casetree_remove(const char *root);

#endif
