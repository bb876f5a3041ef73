/*
 * The kernel engine (Linux): a script's calls made on the kernel's own
 * TCP, journaled as the model's engine journals its run.
 */
#ifndef SYNFIN_KERNEL_H
#define SYNFIN_KERNEL_H

#include <stddef.h>

#include "journal.h"
#include "script.h"

int	 kernel_run(const struct script *, const struct journal *,
	     struct journal *, char *, size_t);

#endif
