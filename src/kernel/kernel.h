/*
 * The kernel engine (Linux): a script's calls made on the kernel's own
 * TCP, journaled as the model's engine journals its run.
 */
#ifndef SYNFIN_KERNEL_H
#define SYNFIN_KERNEL_H

#include <stddef.h>

#include "journal.h"
#include "script.h"
#include "session.h"

int	 kernel_run(const struct script *, const struct journal *,
	     struct journal *, char *, size_t);
int	 kernel_live_open(const struct live_ops **, void **, char *, size_t);

#endif
