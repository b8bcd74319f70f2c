// SPDX-License-Identifier: GPL-2.0
/*
 * The rules of SPEC (and README's extensions) as one pure function of (policy, event, process,
 * container).
 * Each alert says what happened, who did it, where, and what the policy expected, so that the
 * person reading it can either fix the container or the policy.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "container.h"
#include "event.h"
#include "policy.h"
#include "proctab.h"
#include "rules.h"

#define RULE_ROOT_EXEC		  "container_root_exec"
#define RULE_PRIVILEGE_ESCALATION "container_privilege_escalation"
#define RULE_CAPABILITY_USE	  "container_capability_use"
#define RULE_ROOTFS_WRITE	  "container_rootfs_write"
#define RULE_SENSITIVE_SOCKET	  "container_sensitive_socket"
#define RULE_UNEXPECTED_EGRESS	  "container_unexpected_egress"
#define RULE_MOUNT		  "container_mount"
#define RULE_DRIFT_EXEC		  "container_drift_exec"
#define RULE_IO_URING		  "container_io_uring"

/*
 * MITRE ATT&CK techniques (see docs/policy.md for the reasoning):
 * T1611 Escape to Host, T1548.001 Setuid and Setgid, T1068 Exploitation for Privilege
 * Escalation, T1548 Abuse Elevation Control Mechanism, T1543 Create or Modify System Process,
 * T1565.001 Stored Data Manipulation, T1609 Container Administration Command, T1552.007
 * Container API, T1041 Exfiltration Over C2 Channel, T1071 Application Layer Protocol,
 * T1105 Ingress Tool Transfer, T1059 Command and Scripting Interpreter, T1620 Reflective Code
 * Loading (a program run from memory), T1562.001 Impair Defenses: Disable or Modify Tools
 * (io_uring: requests no system-call hook or seccomp filter sees).
 */
static const char *const mitre_root_exec[] = {"T1611", NULL};
static const char *const mitre_setid[] = {"T1548.001", "T1068", NULL};
static const char *const mitre_setuid_exec[] = {"T1548.001", NULL};
static const char *const mitre_dangerous_cap[] = {"T1611", NULL};
static const char *const mitre_cap[] = {"T1548", NULL};
static const char *const mitre_rootfs_write[] = {"T1543", "T1565.001", NULL};
static const char *const mitre_socket[] = {"T1611", "T1609", "T1552.007", NULL};
static const char *const mitre_egress[] = {"T1041", "T1071", NULL};
static const char *const mitre_mount[] = {"T1611", NULL};
static const char *const mitre_drift[] = {"T1105", "T1059", "T1620", NULL};
static const char *const mitre_io_uring[] = {"T1562.001", NULL};

const char *vg_severity_name(enum vg_severity s)
{
	switch (s) {
	case VG_SEV_LOW:
		return "low";
	case VG_SEV_MEDIUM:
		return "medium";
	case VG_SEV_HIGH:
		return "high";
	case VG_SEV_CRITICAL:
		return "critical";
	}
	return "unknown";
}

/*
 * Capabilities that reach beyond the container: host kernel, devices, other processes'
 * memory, the network stack of the host when sharing it, the clock, the LSMs. Using one of
 * them is how container escapes are done. CAP_DAC_OVERRIDE is not here: runtimes grant it by
 * default and root in a container uses it on its own files all the time.
 */
static bool cap_dangerous(unsigned int cap)
{
	switch (cap) {
	case CAP_SYS_ADMIN:
	case CAP_SYS_MODULE:
	case CAP_SYS_PTRACE:
	case CAP_SYS_RAWIO:
	case CAP_DAC_READ_SEARCH: /* open_by_handle_at: the "shocker" escape */
	case CAP_NET_ADMIN:
	case CAP_BPF:
	case CAP_PERFMON:
	case CAP_SYS_BOOT:
	case CAP_SYS_TIME:
	case CAP_MAC_ADMIN:
	case CAP_MAC_OVERRIDE:
	case CAP_SYSLOG:
		return true;
	default:
		return false;
	}
}

struct eval {
	const struct vg_event *ev;
	const struct vg_process *proc;
	const struct vg_container *c;
	const struct vg_policy *policy;
	const struct vg_policy_entry *entry; /* entry(): selected on first use */
	struct vg_alert *out;
	int max, n;
	char who[VIGIL_EXE_MAX + 48]; /* "process /bin/sh (pid 4121)" */
	char where[192];	      /* "container web (localhost/app:1)" */
	bool described; /* who and where filled: only once a rule fires */
	struct vg_dedup *dedup; /* repeats are counted there and not written out */
	const char **repeat_rules;
	int n_repeats;
};

/* The container's policy entry: glob matching, so only for events that reach a rule's check. */
static const struct vg_policy_entry *entry(struct eval *x)
{
	if (!x->entry)
		x->entry = vg_policy_select(x->policy, x->c);
	return x->entry;
}

static void describe_process(struct eval *x)
{
	const struct vg_event *ev = x->ev;
	const char *exe = NULL;
	__u32 pid = ev->hdr->pid;

	if (ev->hdr->type == VIGIL_EVENT_EXEC)
		exe = vg_event_exe(ev);
	else if (x->proc && x->proc->exe)
		exe = x->proc->exe;
	if (exe && *exe)
		snprintf(x->who, sizeof(x->who), "process %s (pid %u)", exe, pid);
	else if (x->proc && x->proc->comm[0])
		snprintf(x->who, sizeof(x->who), "process %.*s (pid %u)",
			 (int)sizeof(x->proc->comm), x->proc->comm, pid);
	else
		snprintf(x->who, sizeof(x->who), "process pid %u", pid);
}

static void describe_container(struct eval *x)
{
	const struct vg_container *c = x->c;
	int n;

	if (c->name && *c->name)
		n = snprintf(x->where, sizeof(x->where), "container %s", c->name);
	else
		n = snprintf(x->where, sizeof(x->where), "container %.12s", c->id);
	if (c->image && *c->image && n > 0 && (size_t)n < sizeof(x->where))
		snprintf(x->where + n, sizeof(x->where) - (size_t)n, " (%s)", c->image);
}

/* Most events raise nothing: the words of a message are put together only for one that does. */
static void describe(struct eval *x)
{
	if (x->described)
		return;
	describe_process(x);
	describe_container(x);
	x->described = true;
}

/* The identity repeats of a process-level alert are told apart by: exe, else comm. */
static const char *process_key(const struct eval *x)
{
	if (x->ev->hdr->type == VIGIL_EVENT_EXEC && *vg_event_exe(x->ev))
		return vg_event_exe(x->ev);
	if (x->proc && x->proc->exe && *x->proc->exe)
		return x->proc->exe;
	if (x->proc && x->proc->comm[0])
		return x->proc->comm;
	return "?";
}

/*
 * A repeat is known by its key alone: false (counted) before anything of the message, the
 * costly part, is prepared. Rules whose message needs more than raise_alert's formatting ask
 * this first and then call write_alert; the others call raise_alert.
 */
static bool first_alert(struct eval *x, const char *rule, const char *key)
{
	if (x->n >= x->max)
		return false;
	if (x->dedup && !vg_dedup_first(x->dedup, rule, x->c->id, key)) {
		if (x->repeat_rules && x->n_repeats < x->max)
			x->repeat_rules[x->n_repeats++] = rule;
		return false;
	}
	return true;
}

static void write_alert_v(struct eval *x, const char *rule, enum vg_severity severity,
			  const char *const *mitre, const char *key, const char *fmt, va_list ap)
{
	struct vg_alert *a;
	int i;

	/* who and where are in the arguments as buffers of x: filled now, read by vsnprintf */
	describe(x);
	a = &x->out[x->n++];
	memset(a, 0, sizeof(*a));
	a->rule = rule;
	a->severity = severity;
	for (i = 0; i < VG_ALERT_MITRE_MAX && mitre[i]; i++)
		a->mitre[i] = mitre[i];
	snprintf(a->key, sizeof(a->key), "%s", key);
	vsnprintf(a->message, sizeof(a->message), fmt, ap);
}

/* After first_alert() said true. */
static void __attribute__((format(printf, 6, 7)))
write_alert(struct eval *x, const char *rule, enum vg_severity severity, const char *const *mitre,
	    const char *key, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	write_alert_v(x, rule, severity, mitre, key, fmt, ap);
	va_end(ap);
}

static void __attribute__((format(printf, 6, 7)))
raise_alert(struct eval *x, const char *rule, enum vg_severity severity, const char *const *mitre,
	    const char *key, const char *fmt, ...)
{
	va_list ap;

	if (!first_alert(x, rule, key))
		return;
	va_start(ap, fmt);
	write_alert_v(x, rule, severity, mitre, key, fmt, ap);
	va_end(ap);
}

/* "a, b, c" cut with "..." to fit; empty if n is 0. */
static const char *join(char *buf, size_t size, char *const *items, size_t n)
{
	size_t len = 0, i;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		size_t need = strlen(items[i]) + (i ? 2 : 0);

		if (len + need + 4 >= size) {
			snprintf(buf + len, size - len, "%s...", i ? ", " : "");
			break;
		}
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "", items[i]);
	}
	return buf;
}

static const char *cap_label(unsigned int cap, char *buf, size_t size)
{
	const char *name = vg_cap_name(cap);

	if (name)
		return name;
	snprintf(buf, size, "CAP_%u", cap);
	return buf;
}

static void rule_root_exec(struct eval *x)
{
	const struct vigil_exec *exec = x->ev->exec;

	if (exec->euid != 0 || entry(x)->allow_root)
		return;
	raise_alert(x, RULE_ROOT_EXEC, VG_SEV_MEDIUM, mitre_root_exec, process_key(x),
		    "%s ran as root in %s; policy expects a non-root user (allow_root false): "
		    "set USER in the image or run it with --user",
		    x->who, x->where);
}

static void rule_setuid_exec(struct eval *x)
{
	const struct vigil_exec *exec = x->ev->exec;

	if (!(exec->exec_flags & VIGIL_EXEC_SECUREEXEC) || exec->uid == 0 || exec->euid != 0 ||
	    entry(x)->allow_privilege_escalation)
		return;
	raise_alert(x, RULE_PRIVILEGE_ESCALATION, VG_SEV_HIGH, mitre_setuid_exec, process_key(x),
		    "%s is a set-uid root program run by uid %u, which it raised to euid 0, in "
		    "%s; policy forbids privilege escalation (allow_privilege_escalation false): "
		    "run with no-new-privileges, or remove the set-uid bit from the image",
		    x->who, exec->uid, x->where);
}

static bool any_zero(const __u32 *ids, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (ids[i] == 0)
			return true;
	}
	return false;
}

/*
 * A set*id call that took a process without root to root. "Without root" counts the saved id
 * too: a process that parked uid 0 there and takes it back had root all along (its exec of a
 * set-uid binary is where it gained it). setfsuid/setfsgid return the old id, not 0, so for
 * them only the ids read after the call tell whether it took effect.
 */
static void rule_setid(struct eval *x)
{
	const struct vigil_setid *s = x->ev->setid;
	bool gid_family = x->ev->hdr->type == VIGIL_EVENT_SETGID;
	bool fs_call = s->syscall == VIGIL_SYS_SETFSUID || s->syscall == VIGIL_SYS_SETFSGID;
	const char *family = gid_family ? "gid" : "uid";

	if ((!fs_call && s->ret != 0) || entry(x)->allow_privilege_escalation)
		return;
	if (any_zero(s->old_ids, 4) || !any_zero(s->new_ids, 4))
		return;
	/* a root process changing its groups is not escalating */
	if (gid_family && (s->uid == 0 || s->euid == 0))
		return;
	raise_alert(x, RULE_PRIVILEGE_ESCALATION, VG_SEV_HIGH, mitre_setid, process_key(x),
		    "%s became %s with %s (real/effective/saved/fs %s %u/%u/%u/%u -> "
		    "%u/%u/%u/%u) in %s; policy forbids privilege escalation "
		    "(allow_privilege_escalation false): run with no-new-privileges and without "
		    "CAP_SET%s",
		    x->who, gid_family ? "group root" : "root", vg_setid_syscall_name(s->syscall),
		    family, s->old_ids[0], s->old_ids[1], s->old_ids[2], s->old_ids[3],
		    s->new_ids[0], s->new_ids[1], s->new_ids[2], s->new_ids[3], x->where,
		    gid_family ? "GID" : "UID");
}

static void rule_capability(struct eval *x)
{
	const struct vigil_capable *cp = x->ev->capable;
	const struct vg_policy_entry *e = entry(x);
	char label_buf[16], allowed[160];
	const char *label;
	char *names[64];
	size_t n = 0;
	unsigned int cap;
	bool dangerous;

	if (cp->ret != 0 || !(cp->cap_flags & VIGIL_CAP_AUDITED) ||
	    (cp->cap_flags & VIGIL_CAP_NOISE))
		return;
	if (cp->cap < 64 && (e->allowed_capabilities >> cp->cap) & 1)
		return;
	label = cap_label(cp->cap, label_buf, sizeof(label_buf));
	if (!first_alert(x, RULE_CAPABILITY_USE, label))
		return;
	for (cap = 0; cap < 64; cap++) {
		const char *name = (e->allowed_capabilities >> cap) & 1 ? vg_cap_name(cap) : NULL;

		if (name)
			names[n++] = (char *)name;
	}
	join(allowed, sizeof(allowed), names, n);
	dangerous = cap_dangerous(cp->cap);
	write_alert(x, RULE_CAPABILITY_USE, dangerous ? VG_SEV_HIGH : VG_SEV_LOW,
		    dangerous ? mitre_dangerous_cap : mitre_cap, label,
		    "%s used %s in %s; policy allows %s%s (allowed_capabilities): drop it "
		    "(--cap-drop), or add it to allowed_capabilities if the container needs it",
		    x->who, label, x->where, n ? "only " : "no capabilities", allowed);
}

/* What a write did, for the message: "removed /etc/x", "linked /tmp/l to /etc/passwd" ... */
static void describe_write(const struct vg_event *ev, const char *path, const char *path2,
			   char *what, size_t size)
{
	const char *p2 = path2 ? path2 : "?";
	int n;

	switch (ev->write->op) {
	case VIGIL_WRITE_UNLINK:
		n = snprintf(what, size, "removed %s", path);
		break;
	case VIGIL_WRITE_RENAME:
		n = snprintf(what, size, "renamed %s to %s", path, p2);
		break;
	case VIGIL_WRITE_MKDIR:
		n = snprintf(what, size, "created the directory %s", path);
		break;
	case VIGIL_WRITE_LINK:
		n = snprintf(what, size, "linked %s to %s", path, p2);
		break;
	case VIGIL_WRITE_SYMLINK:
		n = snprintf(what, size, "created the symlink %s -> %s", path, p2);
		break;
	default:
		n = snprintf(what, size, "opened %s%s for writing", path,
			     ev->path_flags & VIGIL_PATH_MULTILINK ? " (a file with other names)"
			     : ev->path_flags & VIGIL_PATH_TRUNC   ? " (path truncated)"
								   : "");
		break;
	}
	/* an open says its own; the others name one or two paths: either may be the one */
	if (ev->write->op != VIGIL_WRITE_OPEN && n > 0 && (size_t)n < size)
		n += snprintf(what + n, size - (size_t)n, "%s",
			      ev->path_flags & VIGIL_PATH_CHANGED
				      ? " (its name rewritten during the call: the kernel may have "
					"acted on another)"
			      : ev->path_flags & VIGIL_PATH_TRUNC ? " (path truncated)"
			      : ev->path_flags & VIGIL_PATH_UNREACHABLE
				      ? " (path not under its root)"
				      : "");
	if (vg_event_by_io_uring(ev) && n > 0 && (size_t)n < size)
		snprintf(what + n, size - (size_t)n, " (by io_uring)");
}

/*
 * The names a write makes, removes or opens, against writable_paths: rename judges the old
 * and the new name; link the new name and the file linked to (a new name for a file outside
 * writable_paths is a way to write to it later); symlink only its name (its text names
 * nothing yet). The second path is the resolved one where the record has it, else as given,
 * which a relative path never satisfies.
 */
static void rule_rootfs_write(struct eval *x)
{
	const struct vg_event *ev = x->ev;
	const struct vigil_write *w = ev->write;
	const struct vg_policy_entry *e = entry(x);
	const char *path = vg_event_write_path(ev), *path2 = vg_event_write_path2(ev), *bad;
	bool judge2 = w->op == VIGIL_WRITE_RENAME || w->op == VIGIL_WRITE_LINK;
	char writable[192], what[2 * VIGIL_PATH_MAX + 48];

	/* -EINPROGRESS: an io_uring request sent at submission, its result not awaited */
	/* a name rewritten during the call may have named anything, on any mount */
	if ((w->ret < 0 && w->ret != -EINPROGRESS) || !path ||
	    (ev->rootfs != VIGIL_ROOTFS_YES && !(ev->path_flags & VIGIL_PATH_CHANGED)))
		return;
	/*
	 * A path the kernel's objects could not name in full is never allowed (the flags are
	 * either path's). A regular file with other names (i_nlink > 1) on the root filesystem
	 * is judged by the file: its other names can't be listed from here and may be anywhere
	 * on the root filesystem (a link in /tmp to /etc/passwd), so writing through any of them
	 * is a write outside writable_paths. Files under writable_paths rarely have several
	 * names; ones that do alert once per path (repeats are counted).
	 */
	if ((ev->path_flags & (VIGIL_PATH_TRUNC | VIGIL_PATH_UNREACHABLE |
			       VIGIL_PATH_MULTILINK | VIGIL_PATH_CHANGED)) ||
	    !vg_policy_path_writable(e, path))
		bad = path;
	else if (judge2 && (!path2 || !vg_policy_path_writable(e, path2)))
		bad = path2 ? path2 : path;
	else
		return;
	if (!first_alert(x, RULE_ROOTFS_WRITE, bad))
		return;
	describe_write(ev, path, path2, what, sizeof(what));
	join(writable, sizeof(writable), e->writable_paths, e->n_writable_paths);
	write_alert(x, RULE_ROOTFS_WRITE, VG_SEV_MEDIUM, mitre_rootfs_write, bad,
		    "%s %s on the root filesystem of %s; policy allows %s%s (writable_paths): "
		    "mount a volume or tmpfs there (and run with a read-only root filesystem), or "
		    "add %s to writable_paths",
		    x->who, what, x->where,
		    e->n_writable_paths ? "writes only under " : "no writes to it", writable, bad);
}

/*
 * An io_uring instance: its requests reach the kernel without the system calls that hooks
 * and seccomp filters see. Once per container (the key is the same for all its instances).
 */
static void rule_io_uring(struct eval *x)
{
	const struct vigil_io_uring *u = x->ev->io_uring;

	if (entry(x)->allow_io_uring)
		return;
	raise_alert(x, RULE_IO_URING, VG_SEV_MEDIUM, mitre_io_uring, "io_uring",
		    "%s made an io_uring instance (%u entries%s) in %s; io_uring requests bypass "
		    "system-call hooks and seccomp filters, and Docker's default seccomp profile "
		    "refuses io_uring_setup (allow_io_uring false): run with the runtime's default "
		    "seccomp profile, or set allow_io_uring if the container needs io_uring",
		    x->who, u->sq_entries,
		    u->setup_flags & VG_IORING_SETUP_SQPOLL
			    ? ", SQPOLL: a kernel thread takes requests without any system call"
			    : "",
		    x->where);
}

/*
 * A program that is not part of the image: its file lies on the overlay's upper layer
 * (written or changed since the container started), on another mount (tmpfs, a volume,
 * /dev/shm), or has no name (memfd, deleted). On a root filesystem that is not overlayfs
 * the layers can't be told apart: no alert. runc's self-exec from a memfd is set-up (the
 * caller skips set-up records).
 */
static void rule_drift_exec(struct eval *x)
{
	const struct vg_event *ev = x->ev;
	const char *exe = vg_event_exe(ev), *how;

	if (!ev->has_file)
		return;
	switch (ev->file.origin) {
	case VIGIL_ORIGIN_UPPER:
		how = "written or changed since the container started";
		break;
	case VIGIL_ORIGIN_MOUNT:
		how = "on a mount that is not the image (tmpfs or volume)";
		break;
	case VIGIL_ORIGIN_NONAME:
		how = "without a name on any filesystem (memfd or deleted file)";
		break;
	default:
		return;
	}
	/* a nameless or truncated path is never allowed by a path */
	if (entry(x)->allow_drift ||
	    (ev->file.origin != VIGIL_ORIGIN_NONAME && !(ev->path_flags & VIGIL_PATH_TRUNC) &&
	     vg_policy_drift_allowed(entry(x), exe)))
		return;
	raise_alert(x, RULE_DRIFT_EXEC, VG_SEV_HIGH, mitre_drift, exe,
		    "%s executed %s, a program that is not part of the image of %s: it is %s "
		    "(inode %llu); rebuild the image with it, or set allow_drift or "
		    "drift_allowed_paths if the container must run programs it writes",
		    x->who, exe, x->where, how, (unsigned long long)ev->file.ino);
}

/* 0 and -EINPROGRESS: the connection is made or under way; anything else failed. */
static const char *connect_verb(const struct vigil_connect *cn)
{
	if (cn->connect_flags & VIGIL_CONNECT_BEFORE_CALL)
		return "sent";
	return cn->ret == 0 || cn->ret == -EINPROGRESS ? "connected" : "tried to connect";
}

/*
 * The socket a unix connect reached, by identity: the socket file its peer is bound to, as
 * the kernel read it, against the host's runtime sockets. NULL where it is none of them (or
 * was not read): the path the caller named is judged then.
 */
static bool unix_peer_sensitive(struct eval *x, const char **reached)
{
	const struct vigil_connect *cn = x->ev->connect;
	const struct vg_policy_entry *e = entry(x);
	const struct vg_sock_identity *id = NULL;

	*reached = NULL;
	if (cn->connect_flags & VIGIL_CONNECT_PEER)
		id = vg_sockids_find(&x->policy->sockets, cn->peer.dev, cn->peer.ino);
	if (id) {
		*reached = id->path;
		/* a runtime's own socket is sensitive unless the entry lists none at all */
		return vg_policy_socket_sensitive(e, id->path) ||
		       (id->runtime && e->n_sensitive_sockets);
	}
	/* the kernel knew it (a capture read away from its host) */
	return (cn->connect_flags & VIGIL_CONNECT_RUNTIME_SOCKET) && e->n_sensitive_sockets;
}

static void rule_unix_connect(struct eval *x)
{
	const struct vigil_connect *cn = x->ev->connect;
	const char *path = x->ev->str1, *reached;
	char name[VIGIL_UNIX_PATH_MAX + 2], what[VIGIL_UNIX_PATH_MAX + 4200];

	if (!path)
		return;
	/* abstract names are matched as "@name", whether or not the record spells the '@' */
	if ((cn->connect_flags & VIGIL_CONNECT_ABSTRACT) && path[0] != '@')
		snprintf(name, sizeof(name), "@%s", path);
	else
		snprintf(name, sizeof(name), "%s", path);
	if (unix_peer_sensitive(x, &reached)) {
		const char *key = reached ? reached : name;

		if (!first_alert(x, RULE_SENSITIVE_SOCKET, key))
			return;
		if (reached && strcmp(reached, name))
			snprintf(what, sizeof(what), "%s, which is the runtime socket %s (inode %llu)",
				 name, reached, (unsigned long long)cn->peer.ino);
		else if (reached)
			snprintf(what, sizeof(what), "the runtime socket %s", name);
		else
			snprintf(what, sizeof(what), "%s, which the kernel knew as a runtime socket "
				 "(inode %llu)", name, (unsigned long long)cn->peer.ino);
		write_alert(x, RULE_SENSITIVE_SOCKET, VG_SEV_CRITICAL, mitre_socket, key,
			    "%s %s to %s in %s; a container runtime's socket gives control of the "
			    "host (sensitive_sockets): do not mount it into the container",
			    x->who, connect_verb(cn), what, x->where);
		return;
	}
	if (!*path || !vg_policy_socket_sensitive(entry(x), name))
		return;
	raise_alert(x, RULE_SENSITIVE_SOCKET, VG_SEV_CRITICAL, mitre_socket, name,
		    "%s %s to the sensitive socket %s in %s; policy lists it in sensitive_sockets "
		    "(a container runtime's socket gives control of the host): do not mount it "
		    "into the container",
		    x->who, connect_verb(cn), name, x->where);
}

/* A packet socket sends frames on an interface: no address a policy can allow. */
static void rule_packet_send(struct eval *x)
{
	const struct vigil_connect *cn = x->ev->connect;
	__u32 ifindex;
	char key[48];

	/* a policy that grants CAP_NET_RAW has allowed raw networking, frames included */
	if ((entry(x)->allowed_capabilities >> CAP_NET_RAW) & 1)
		return;
	memcpy(&ifindex, cn->addr, sizeof(ifindex));
	snprintf(key, sizeof(key), "packet if%u/0x%04x", ifindex, cn->port);
	raise_alert(x, RULE_UNEXPECTED_EGRESS, VG_SEV_HIGH, mitre_egress, key,
		    "%s sent raw frames (packet socket, interface %u, ethertype 0x%04x) from %s; "
		    "such frames bypass any address a policy can allow (allowed_egress): drop "
		    "CAP_NET_RAW, or add it to allowed_capabilities if the container needs it",
		    x->who, ifindex, cn->port, x->where);
}

/*
 * A raw socket writing its own IP header (IP_HDRINCL, IPPROTO_RAW): the packet goes where
 * that header says, and the address the call named only picks the route: no allowed_egress
 * entry can allow it, as no address can allow a packet socket's frames.
 */
static void rule_raw_header(struct eval *x)
{
	const struct vigil_connect *cn = x->ev->connect;
	int family = cn->family == VIGIL_AF_INET ? AF_INET : AF_INET6;
	char addr[INET6_ADDRSTRLEN], key[INET6_ADDRSTRLEN + 16];

	if ((entry(x)->allowed_capabilities >> CAP_NET_RAW) & 1)
		return;
	if (!inet_ntop(family, cn->addr, addr, sizeof(addr)))
		snprintf(addr, sizeof(addr), "?");
	snprintf(key, sizeof(key), "%s/raw-header", addr);
	raise_alert(x, RULE_UNEXPECTED_EGRESS, VG_SEV_HIGH, mitre_egress, key,
		    "%s sent raw IP packets with a header of its own (IP_HDRINCL) by way of %s from "
		    "%s; the header it writes, not that address, says where they go, so no "
		    "allowed_egress entry can allow them: drop CAP_NET_RAW, or add it to "
		    "allowed_capabilities if the container needs it",
		    x->who, addr, x->where);
}

static void rule_inet_connect(struct eval *x)
{
	const struct vigil_connect *cn = x->ev->connect;
	int family = cn->family == VIGIL_AF_INET ? AF_INET : AF_INET6;
	char addr[INET6_ADDRSTRLEN], dest[INET6_ADDRSTRLEN + 16], how[48] = "";
	const char *proto = vg_connect_protocol_name(cn->protocol);
	const char *via = vg_connect_via_name(cn->via);
	size_t len;

	if (cn->connect_flags & VIGIL_CONNECT_HDRINCL) {
		rule_raw_header(x);
		return;
	}
	if (vg_policy_egress_allowed(entry(x), family, cn->addr, cn->port))
		return;
	if (!inet_ntop(family, cn->addr, addr, sizeof(addr)))
		snprintf(addr, sizeof(addr), "?");
	len = (size_t)snprintf(dest, sizeof(dest), family == AF_INET ? "%s:%u" : "[%s]:%u", addr,
			       cn->port);
	/* tcp (and records that predate the protocol) keep the plain key: "udp" is another */
	if (proto && cn->protocol != VIGIL_PROTO_TCP && len < sizeof(dest))
		snprintf(dest + len, sizeof(dest) - len, "/%s", proto);
	if (via && cn->via != VIGIL_VIA_CONNECT)
		snprintf(how, sizeof(how), " (via %s)", via);
	raise_alert(x, RULE_UNEXPECTED_EGRESS, VG_SEV_MEDIUM, mitre_egress, dest,
		    "%s %s to %s%s from %s; policy allows no egress there (allowed_egress): add "
		    "\"%s/%u:%u\" to allowed_egress if it is expected",
		    x->who, connect_verb(cn), dest, how, x->where, addr,
		    family == AF_INET ? 32 : 128, cn->port);
}

static void rule_connect(struct eval *x)
{
	switch (x->ev->connect->family) {
	case VIGIL_AF_UNIX:
		rule_unix_connect(x);
		break;
	case VIGIL_AF_INET:
	case VIGIL_AF_INET6:
		rule_inet_connect(x);
		break;
	case VIGIL_AF_PACKET:
		rule_packet_send(x);
		break;
	default:
		break;
	}
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

static void rule_mount(struct eval *x)
{
	const struct vigil_mount *m = x->ev->mount;
	const char *source = x->ev->str1, *target = x->ev->str2, *key;

	if (entry(x)->allow_mount)
		return;
	if (target && *target)
		key = target;
	else if (source && *source)
		key = source;
	else
		key = vg_mount_syscall_name(m->syscall);
	raise_alert(x, RULE_MOUNT, VG_SEV_HIGH, mitre_mount, key,
		    "%s called %s (source %s, target %s, fstype %s)%s in %s; policy forbids "
		    "mounts (allow_mount false): do not run the container privileged or with "
		    "CAP_SYS_ADMIN",
		    x->who, vg_mount_syscall_name(m->syscall), or_dash(source), or_dash(target),
		    or_dash(x->ev->str3), m->ret < 0 ? ", which failed," : "", x->where);
}

int vg_rules_container_start(const struct vg_policy *policy, const struct vg_container *c,
			     struct vg_dedup *dedup, struct vg_alert *out, int max)
{
	struct eval x = {.policy = policy, .c = c, .out = out, .max = max, .dedup = dedup,
			 .described = true};
	struct vg_sock_mount found[VG_ALERT_MAX_START];
	size_t n;

	if (!policy || !c || !out || max <= 0 || !policy->sockets.n)
		return 0;
	n = vg_sockids_mounted(&policy->sockets, c, found,
			       max < VG_ALERT_MAX_START ? (size_t)max : VG_ALERT_MAX_START);
	describe_container(&x);
	for (size_t i = 0; i < n; i++) {
		if (!vg_policy_socket_sensitive(entry(&x), found[i].host) &&
		    !entry(&x)->n_sensitive_sockets)
			continue;
		raise_alert(&x, RULE_SENSITIVE_SOCKET, VG_SEV_HIGH, mitre_socket, found[i].inside,
			    "%s has the runtime socket %s mounted at %s: whoever runs in it "
			    "controls the host (sensitive_sockets): do not mount it into the "
			    "container",
			    x.where, found[i].host, found[i].inside);
	}
	return x.n;
}

int vg_rules_eval(const struct vg_policy *policy, const struct vg_event *ev,
		  const struct vg_process *proc, const struct vg_container *c, struct vg_alert *out,
		  int max)
{
	return vg_rules_eval_dedup(policy, ev, proc, c, NULL, out, max, NULL, NULL);
}

int vg_rules_eval_dedup(const struct vg_policy *policy, const struct vg_event *ev,
			const struct vg_process *proc, const struct vg_container *c,
			struct vg_dedup *dedup, struct vg_alert *out, int max,
			const char **repeat_rules, int *n_repeats)
{
	struct eval x = {.ev = ev, .proc = proc, .c = c, .policy = policy, .out = out, .max = max,
			 .dedup = dedup, .repeat_rules = repeat_rules};

	if (n_repeats)
		*n_repeats = 0;

	/* host processes are not containers' behaviour; set-up is the runtime's, not theirs */
	if (!policy || !ev || !ev->hdr || !ev->raw || !c || !out || max <= 0)
		return 0;
	if ((ev->hdr->flags & VIGIL_F_SETUP) || (proc && (proc->flags & VG_PROC_SETUP)))
		return 0;
	switch (ev->hdr->type) {
	case VIGIL_EVENT_EXEC:
		rule_root_exec(&x);
		rule_setuid_exec(&x);
		rule_drift_exec(&x);
		break;
	case VIGIL_EVENT_SETUID:
	case VIGIL_EVENT_SETGID:
		rule_setid(&x);
		break;
	case VIGIL_EVENT_CAPABLE:
		rule_capability(&x);
		break;
	case VIGIL_EVENT_WRITE:
		rule_rootfs_write(&x);
		break;
	case VIGIL_EVENT_CONNECT:
		rule_connect(&x);
		break;
	case VIGIL_EVENT_MOUNT:
		rule_mount(&x);
		break;
	case VIGIL_EVENT_IO_URING:
		rule_io_uring(&x);
		break;
	default:
		break;
	}
	if (n_repeats)
		*n_repeats = x.n_repeats;
	return x.n;
}
