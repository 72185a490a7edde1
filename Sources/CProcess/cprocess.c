#define _GNU_SOURCE
#include "cprocess.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

// Everything below that runs in a child uses only async-signal-safe calls: the parent
// is a multithreaded Swift process, so a forked child may not allocate or take locks.

static void set_default_actions(void) {
    static const int signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD, SIGTTOU, SIGTTIN, SIGTSTP };
    struct sigaction action = { 0 };
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) sigaction(signals[i], &action, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

int cprocess_spawn(const char *file, char *const argv[], char *const envp[], int death_signal, pid_t *pid) {
    return cprocess_spawn_stdout(file, argv, envp, death_signal, -1, pid);
}

int cprocess_spawn_stdout(const char *file, char *const argv[], char *const envp[], int death_signal,
                          int stdout_fd, pid_t *pid) {
    // The child reports a failed exec through this pipe; a successful exec closes it.
    int report[2];
    if (pipe2(report, O_CLOEXEC) == -1) return errno;
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == -1) {
        int error = errno;
        close(report[0]);
        close(report[1]);
        return error;
    }
    if (child == 0) {
        close(report[0]);
        setpgid(0, 0);
        if (death_signal != 0) {
            prctl(PR_SET_PDEATHSIG, death_signal);
            // The parent may have died before prctl: nobody would signal us then.
            if (getppid() != parent) _exit(128 + death_signal);
        }
        set_default_actions();
        if (stdout_fd >= 0 && stdout_fd != STDOUT_FILENO) {
            // dup2 clears close-on-exec on the copy: the command keeps it, nothing else does.
            if (dup2(stdout_fd, STDOUT_FILENO) == -1) {
                int error = errno;
                while (write(report[1], &error, sizeof error) == -1 && errno == EINTR) {}
                _exit(127);
            }
        }
        // glibc's execvpe searches PATH with a stack buffer: no allocation.
        execvpe(file, argv, envp);
        int error = errno;
        while (write(report[1], &error, sizeof error) == -1 && errno == EINTR) {}
        _exit(127);
    }
    close(report[1]);
    int error = 0;
    ssize_t got;
    do { got = read(report[0], &error, sizeof error); } while (got == -1 && errno == EINTR);
    close(report[0]);
    if (got == (ssize_t)sizeof error) {
        while (waitpid(child, NULL, 0) == -1 && errno == EINTR) {}
        return error;
    }
    *pid = child;
    return 0;
}

static int64_t monotonic_ns(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

static void pause_ms(long ms) {
    struct timespec interval = { .tv_sec = 0, .tv_nsec = ms * 1000000L };
    while (nanosleep(&interval, &interval) == -1 && errno == EINTR) {}
}

/// Reads one whole message; 0 at end of file (or on any read error).
static int read_message(int fd, int64_t message[2]) {
    char *bytes = (char *)message;
    size_t have = 0;
    while (have < 2 * sizeof(int64_t)) {
        ssize_t got = read(fd, bytes + have, 2 * sizeof(int64_t) - have);
        if (got > 0) have += (size_t)got;
        else if (got == -1 && errno == EINTR) continue;
        else return 0;
    }
    return 1;
}

static void watch(int fd, int64_t kill_after_ns) {
    pid_t group = 0;
    int64_t deadline = INT64_MAX;
    int64_t message[2];
    while (read_message(fd, message)) {
        switch (message[0]) {
        case CPROCESS_WATCH_GROUP: group = (pid_t)message[1]; break;
        case CPROCESS_WATCH_DEADLINE: deadline = message[1]; break;
        case CPROCESS_WATCH_DONE: return;
        default: break;
        }
    }
    if (group <= 0) return;
    // The supervisor is gone: nobody renews the lock any more.
    if (kill(-group, SIGTERM) == -1) return;
    kill(-group, SIGCONT);  // a stopped member must run to act on SIGTERM
    int64_t kill_at = monotonic_ns() + kill_after_ns;
    if (deadline < kill_at) kill_at = deadline;
    // Members that already died count until they are reaped (by init, since their parent
    // is gone; a container's PID 1 may never reap): then the SIGKILL below is harmless.
    while (monotonic_ns() < kill_at) {
        if (kill(-group, 0) == -1 && errno == ESRCH) return;
        pause_ms(10);
    }
    kill(-group, SIGKILL);
}

pid_t cprocess_start_watchdog(int64_t kill_after_ns, int *write_fd) {
    int ends[2];
    if (pipe2(ends, O_CLOEXEC) == -1) return -1;
    pid_t watchdog = fork();
    if (watchdog != 0) {
        int error = errno;
        close(ends[0]);
        if (watchdog == -1) {
            close(ends[1]);
            errno = error;
        } else {
            // Non-blocking: a watchdog that stopped reading (SIGSTOP) must never block
            // the supervisor, which drops the message instead.
            fcntl(ends[1], F_SETFL, fcntl(ends[1], F_GETFL) | O_NONBLOCK);
            *write_fd = ends[1];
        }
        return watchdog;
    }
    int read_fd = ends[0];

    setpgid(0, 0);
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    // The pipe to descriptor 3, /dev/null to 0-2, everything else closed (the pipe's
    // write end too, or end of file would never come).
    int fd = fcntl(read_fd, F_DUPFD, 3);
    int null = open("/dev/null", O_RDWR);
    if (fd == -1 || null == -1) _exit(1);
    for (int i = 0; i < 3; i++) dup2(null, i);
    if (fd != 3) dup2(fd, 3);
    if (syscall(SYS_close_range, 4U, ~0U, 0U) == -1) {
        for (int i = 4; i < 65536; i++) close(i);
    }
    watch(3, kill_after_ns);
    _exit(0);
}
