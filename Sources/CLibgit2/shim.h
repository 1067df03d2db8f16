#ifndef CONDUCTOR_CLIBGIT2_SHIM_H
#define CONDUCTOR_CLIBGIT2_SHIM_H

#include <git2.h>
#include <git2/sys/commit.h>

/* git_libgit2_opts is variadic, which Swift cannot call; these wrappers fix the arity. */
/* Sets the largest object of `type` that libgit2 keeps in its per-repository cache. */
static inline int conductor_git_opts_set_cache_object_limit(git_object_t type, size_t bytes) {
    return git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, type, bytes);
}

#endif
