// The two process operations Swift cannot do safely itself, because they run between
// fork and exec (or after a fork without exec) where only async-signal-safe calls are
// allowed: starting `lock run`'s command with a parent-death signal, and its watchdog.
#ifndef CACHECTL_CPROCESS_H
#define CACHECTL_CPROCESS_H

#include <stdint.h>
#include <sys/types.h>

/// Starts `file` (searched in PATH like execvp when it has no '/') with `argv` and
/// `envp`, in a new process group led by the child, with no blocked signals and SIGINT,
/// SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD, SIGTTOU, SIGTTIN and SIGTSTP at their
/// default actions. `death_signal` (0 for none) is delivered to the child when the
/// calling thread ends, however it ends (prctl PR_SET_PDEATHSIG). Returns 0 with `*pid`
/// set, or the errno of the failed fork or exec (ENOENT: not found); a child whose exec
/// failed is reaped before returning.
int cprocess_spawn(const char *file, char *const argv[], char *const envp[], int death_signal, pid_t *pid);

/// As cprocess_spawn, with the child's standard output on `stdout_fd` (-1: inherited), for
/// `cache fetch`, which captures it. `stdout_fd` should be close-on-exec in the caller.
int cprocess_spawn_stdout(const char *file, char *const argv[], char *const envp[], int death_signal,
                          int stdout_fd, pid_t *pid);

/// Watchdog messages: 16 bytes each (`kind`, `value`), written whole to the pipe
/// (writes of up to PIPE_BUF bytes are atomic).
enum {
    /// `value`: the process group to guard.
    CPROCESS_WATCH_GROUP = 1,
    /// `value`: CLOCK_MONOTONIC nanoseconds by which the group must be gone if the pipe closes.
    CPROCESS_WATCH_DEADLINE = 2,
    /// The group ended under supervision: exit without signalling anything.
    CPROCESS_WATCH_DONE = 3,
};

/// Forks a watchdog that reads messages from a new pipe whose write end (close-on-exec,
/// so a command started later does not hold it; non-blocking) is stored in `*write_fd`, the caller's
/// only copy. When the pipe reaches end of file without CPROCESS_WATCH_DONE (the caller
/// ended, SIGKILL included: the kernel closes its descriptors), the watchdog sends SIGTERM
/// and SIGCONT to the group, then SIGKILL once `kill_after_ns` has passed or the deadline
/// is reached, whichever comes first; it exits as soon as the group is gone.
///
/// The watchdog leads a process group of its own (signals aimed at the caller's group or
/// the terminal's foreground group miss it), blocks every signal that can be blocked,
/// has /dev/null as stdin, stdout and stderr (a reader of the caller's pipes is never
/// kept waiting) and closes every other descriptor. Returns its pid, or -1 with errno set.
pid_t cprocess_start_watchdog(int64_t kill_after_ns, int *write_fd);

#endif
