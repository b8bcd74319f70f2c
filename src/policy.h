/* SPDX-License-Identifier: GPL-2.0 */
/* Policy files (SPEC "Policy file"), the built-in policy, and matching a container to its entry. */
#ifndef VIGIL_POLICY_H
#define VIGIL_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "sockid.h"

struct json_object;
struct vg_container;

/* An allowed_egress entry: CIDR and port range (0-65535 for "*"). */
struct vg_egress {
	int family; /* AF_INET or AF_INET6 */
	__u8 addr[16]; /* network order; IPv4 in the first 4 bytes */
	unsigned int prefix;
	__u16 port_lo, port_hi;
};

/* The globs of an entry's "match"; NULL where a field is not constrained. */
struct vg_policy_match {
	char *id, *name, *image, *runtime, *pod, *namespace;
};

/* An entry with every key filled in (from the default block, itself filled by the built-in). */
struct vg_policy_entry {
	struct vg_policy_match match;
	bool allow_root;
	bool allow_mount;
	bool allow_privilege_escalation;
	bool allow_drift; /* programs not part of the image may run */
	char **drift_allowed_paths; /* programs here may, like writable_paths: a path and below */
	size_t n_drift_allowed_paths;
	bool allow_io_uring; /* io_uring instances may be made (they bypass system-call hooks) */
	__u64 allowed_capabilities; /* bit per capability number */
	char **writable_paths; /* a path allows itself and everything below it */
	size_t n_writable_paths;
	struct vg_egress *allowed_egress;
	size_t n_allowed_egress;
	char **sensitive_sockets;
	size_t n_sensitive_sockets;
};

struct vg_policy {
	char *source; /* file name, or "built-in" */
	struct vg_policy_entry def;
	struct vg_policy_entry *containers;
	size_t n_containers;
	/*
	 * The host's runtime sockets by identity, for the sensitive-socket rule: filled by run
	 * (vg_sockids_scan) when the policy is put in force; empty in replay, where the kernel's
	 * VIGIL_CONNECT_RUNTIME_SOCKET flag in the record says it.
	 */
	struct vg_sockids sockets;
};

/* The built-in policy (SPEC defaults, hardening practice). Never NULL; caller frees. */
struct vg_policy *vg_policy_builtin(void);

/*
 * Parses and validates a policy. On error returns -EINVAL (or -errno for I/O) and writes
 * "FILE:LINE:COL: message" into err; unknown keys and wrong types are errors.
 */
int vg_policy_load_file(const char *path, struct vg_policy **out, char *err, size_t errlen);
int vg_policy_load_buffer(const char *name, const char *text, size_t len, struct vg_policy **out,
			  char *err, size_t errlen);
void vg_policy_free(struct vg_policy *p);

/* The first container entry whose match fits c, else the default entry. */
const struct vg_policy_entry *vg_policy_select(const struct vg_policy *p,
					       const struct vg_container *c);

/* Helpers the rules (and profiles) share. */
/* path (resolved) is an allowed drift: allow_drift, or under drift_allowed_paths */
bool vg_policy_drift_allowed(const struct vg_policy_entry *e, const char *path);
bool vg_policy_path_writable(const struct vg_policy_entry *e, const char *path);
bool vg_policy_egress_allowed(const struct vg_policy_entry *e, int family, const __u8 *addr,
			      __u16 port);
bool vg_policy_socket_sensitive(const struct vg_policy_entry *e, const char *path);
/*
 * Lexical normalisation, as policies compare paths: "//" and "." collapse, ".." takes the
 * component before ("/.." is "/"); symlinks are not followed. false: out is too small.
 */
bool vg_path_normalize(const char *in, char *out, size_t size);
/* path is dir or below it ("/" holds everything); both normalised. */
bool vg_path_under(const char *path, const char *dir);

/*
 * For the kernel's write filter: the paths under which every entry of p allows writes, so
 * that no container's write there can alert. Normalised, without a trailing slash ("" for
 * "/"), none under another; paths of VG_PREFIX_MAX bytes or more are left out. Returns how
 * many were written (at most max).
 */
#define VG_PREFIX_MAX 64
size_t vg_policy_common_writable(const struct vg_policy *p, char (*out)[VG_PREFIX_MAX], size_t max);
/* Parses "CIDR:PORT", "CIDR:*", "CIDR:LOW-HIGH"; 0 or -EINVAL. */
int vg_egress_parse(const char *text, struct vg_egress *out);

/*
 * Additions: the parse with the reason for a refusal ("prefix length must be 0-32 for IPv4")
 * written into why, and the reverse (the canonical spelling load accepts: "10.0.0.0/8:5432",
 * "::/0:*", "192.0.2.1/32:8000-8080"). Host bits below the prefix are cleared by the parse.
 */
int vg_egress_parse_explain(const char *text, struct vg_egress *out, char *why, size_t whylen);
#define VG_EGRESS_STR_MAX 72
const char *vg_egress_format(const struct vg_egress *e, char *buf, size_t size);

/*
 * An entry (match included, where set) as a policy-file object with every key spelt out, and a
 * whole policy as a pretty policy file that vg_policy_load_buffer reads back to the same policy.
 * NULL on allocation failure; the string is malloc'ed.
 */
struct json_object *vg_policy_entry_to_json(const struct vg_policy_entry *e);
char *vg_policy_to_json_string(const struct vg_policy *p);

/* Does the entry's match fit c? An empty match fits every container, none fits NULL. */
bool vg_policy_match_fits(const struct vg_policy_match *m, const struct vg_container *c);

#endif
