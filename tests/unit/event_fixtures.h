/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the event tests share: one record buffer, the event it decodes into, and the decoder.
 */
#ifndef VIGIL_TEST_EVENT_FIXTURES_H
#define VIGIL_TEST_EVENT_FIXTURES_H

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>

#include "unit.h"
#include "records.h"
#include "event.h"

static __attribute__((unused)) REC_BUF(buf);
static __attribute__((unused)) struct vg_event ev;

static inline int decode(size_t size)
{
	return vg_event_decode(buf, size, &ev);
}

#endif
