/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The systemd notification protocol (sd_notify(3)) without libsystemd: one datagram to the
 * socket named by $NOTIFY_SOCKET ("/path", or "@name" for an abstract socket). Without
 * $NOTIFY_SOCKET (not started by systemd with Type=notify) every call does nothing.
 */
#ifndef VIGIL_NOTIFY_H
#define VIGIL_NOTIFY_H

#include <stdbool.h>
#include <linux/types.h>

/*
 * Sends state ("READY=1", "STOPPING=1", "WATCHDOG=1", "STATUS=...", lines joined by '\n').
 * 1 sent, 0 no $NOTIFY_SOCKET, -errno on failure (a malformed $NOTIFY_SOCKET is -EINVAL).
 */
int vg_notify(const char *state);
/*
 * How often to send WATCHDOG=1, in ns: half of $WATCHDOG_USEC, when $WATCHDOG_PID is unset or
 * names this process; 0 when the watchdog is not asked for.
 */
__u64 vg_notify_watchdog_ns(void);

#endif
