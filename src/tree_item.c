// SPDX-License-Identifier: GPL-2.0
/* The activity lines listed under a process in a tree: one per distinct thing it did. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "event.h"
#include "tree.h"

bool vg_tree_item_text(const struct vg_event *ev, char *buf, size_t size)
{
	char addr[INET6_ADDRSTRLEN];

	switch (ev->hdr->type) {
	case VIGIL_EVENT_WRITE: {
		/* resolved where the record has it; rename, link, symlink: "name -> second" */
		const char *second = vg_event_write_path2(ev);
		int n;

		n = snprintf(buf, size, "%s %s%s%s", vg_write_op_name(ev->write->op),
			     vg_event_write_path(ev), second ? " -> " : "", second ? second : "");
		if (vg_event_by_io_uring(ev) && n > 0 && (size_t)n < size)
			snprintf(buf + n, size - (size_t)n, " (io_uring)");
		return true;
	}
	case VIGIL_EVENT_IO_URING: {
		const struct vigil_io_uring *u = ev->io_uring;

		snprintf(buf, size, "io_uring %s, %u entries%s", vg_io_uring_op_name(u->op),
			 u->sq_entries, u->setup_flags & VG_IORING_SETUP_SQPOLL ? ", SQPOLL" : "");
		return true;
	}
	case VIGIL_EVENT_CONNECT: {
		const struct vigil_connect *c = ev->connect;

		if (c->family == VIGIL_AF_UNIX)
			snprintf(buf, size, "connect unix:%s%s",
				 c->connect_flags & VIGIL_CONNECT_ABSTRACT ? "@" : "",
				 ev->str1 ? ev->str1 : "");
		else if (inet_ntop(c->family == VIGIL_AF_INET ? AF_INET : AF_INET6, c->addr, addr,
				   sizeof(addr)))
			snprintf(buf, size, c->family == VIGIL_AF_INET ? "connect %s:%u"
								: "connect [%s]:%u",
				 addr, c->port);
		else
			snprintf(buf, size, "connect family %u", c->family);
		return true;
	}
	case VIGIL_EVENT_CAPABLE: {
		const char *name = vg_cap_name(ev->capable->cap);

		if (name)
			snprintf(buf, size, "%s%s", name, ev->capable->ret ? " (denied)" : "");
		else
			snprintf(buf, size, "capability %u%s", ev->capable->cap,
				 ev->capable->ret ? " (denied)" : "");
		return true;
	}
	case VIGIL_EVENT_MOUNT:
		snprintf(buf, size, "%s%s%s on %s%s%s", vg_mount_syscall_name(ev->mount->syscall),
			 ev->str1[0] ? " " : "", ev->str1, ev->str2, ev->str3[0] ? " type " : "",
			 ev->str3);
		return true;
	case VIGIL_EVENT_SETUID:
	case VIGIL_EVENT_SETGID: {
		const struct vigil_setid *s = ev->setid;

		snprintf(buf, size, "%s -> %s %d, effective %d%s",
			 vg_setid_syscall_name(s->syscall),
			 ev->hdr->type == VIGIL_EVENT_SETUID ? "uid" : "gid", (int)s->new_ids[0],
			 (int)s->new_ids[1], s->ret ? " (failed)" : "");
		return true;
	}
	default:
		return false; /* fork, exec, exit are the tree itself; newer types are counted */
	}
}

bool vg_tree_type_has_items(unsigned int type)
{
	switch (type) {
	case VIGIL_EVENT_WRITE:
	case VIGIL_EVENT_CONNECT:
	case VIGIL_EVENT_CAPABLE:
	case VIGIL_EVENT_MOUNT:
	case VIGIL_EVENT_SETUID:
	case VIGIL_EVENT_SETGID:
	case VIGIL_EVENT_IO_URING:
		return true;
	default:
		return false;
	}
}
