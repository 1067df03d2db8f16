#ifndef CONDUCTOR_CLIBGIT2_SHIM_H
#define CONDUCTOR_CLIBGIT2_SHIM_H

#include <git2.h>
#include <git2/sys/commit.h>

/* git_libgit2_opts is variadic, which Swift cannot call; these wrappers fix the arity. */
static inline int conductor_git_opts_set_int(int option, int value) {
    return git_libgit2_opts(option, value);
}

#endif
