#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <sys/socket.h>
#include "csupport.h"

// setns(2) changes the namespace of the calling thread only, so the socket is made on a thread of its own that
// ends right after: no thread of the process is ever left in another namespace. A socket keeps the network
// namespace it was created in for its whole life, whichever thread uses it later.
struct netns_socket_request {
    int namespace_fd, domain, type, protocol;
    int result, error;
};

static void *netns_socket_thread(void *argument) {
    struct netns_socket_request *request = argument;
    if (setns(request->namespace_fd, CLONE_NEWNET) != 0) {
        request->result = -1;
        request->error = errno;
        return NULL;
    }
    request->result = socket(request->domain, request->type, request->protocol);
    request->error = errno;
    return NULL;
}

int testbed_socket_in_netns(int namespace_fd, int domain, int type, int protocol) {
    struct netns_socket_request request = {namespace_fd, domain, type, protocol, -1, 0};
    pthread_t thread;
    int rc = pthread_create(&thread, NULL, netns_socket_thread, &request);
    if (rc != 0) {
        errno = rc;
        return -1;
    }
    pthread_join(thread, NULL);
    if (request.result < 0) errno = request.error;
    return request.result;
}
