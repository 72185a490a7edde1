// <sys/epoll.h> for Swift: Glibc's module map leaves it out. Linux only; a port to
// another OS replaces EventPoller.swift (kqueue or poll) and drops this module.
#include <sys/epoll.h>
