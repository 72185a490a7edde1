#include "ctls.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

// One pointer per OpenSSL function we call, resolved once by ctls_load().
static struct {
    const SSL_METHOD *(*TLS_client_method)(void);
    SSL_CTX *(*SSL_CTX_new)(const SSL_METHOD *);
    void (*SSL_CTX_free)(SSL_CTX *);
    long (*SSL_CTX_ctrl)(SSL_CTX *, int, long, void *);
    void (*SSL_CTX_set_verify)(SSL_CTX *, int, SSL_verify_cb);
    int (*SSL_CTX_load_verify_locations)(SSL_CTX *, const char *, const char *);
    int (*SSL_CTX_set_default_verify_paths)(SSL_CTX *);
    int (*SSL_CTX_use_certificate_chain_file)(SSL_CTX *, const char *);
    int (*SSL_CTX_use_PrivateKey_file)(SSL_CTX *, const char *, int);
    int (*SSL_CTX_check_private_key)(const SSL_CTX *);
    SSL *(*SSL_new)(SSL_CTX *);
    void (*SSL_free)(SSL *);
    int (*SSL_set_fd)(SSL *, int);
    long (*SSL_ctrl)(SSL *, int, long, void *);
    int (*SSL_set1_host)(SSL *, const char *);
    X509_VERIFY_PARAM *(*SSL_get0_param)(SSL *);
    int (*X509_VERIFY_PARAM_set1_ip_asc)(X509_VERIFY_PARAM *, const char *);
    int (*SSL_connect)(SSL *);
    int (*SSL_get_error)(const SSL *, int);
    long (*SSL_get_verify_result)(const SSL *);
    const char *(*X509_verify_cert_error_string)(long);
    int (*SSL_read)(SSL *, void *, int);
    int (*SSL_write)(SSL *, const void *, int);
    int (*SSL_shutdown)(SSL *);
    unsigned long (*ERR_get_error)(void);
    void (*ERR_error_string_n)(unsigned long, char *, size_t);
    void (*ERR_clear_error)(void);
} api;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char load_error[256];
static int load_result = -1;

// libssl pulls in libcrypto, so both libraries' symbols resolve through its handle.
static void load(void) {
    const char *names[] = {"libssl.so.3", "libssl.so.1.1", "libssl.so"};
    void *handle = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && handle == NULL; i++) {
        handle = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    }
    if (handle == NULL) {
        const char *why = dlerror();
        snprintf(load_error, sizeof load_error, "cannot load libssl.so.3 or libssl.so.1.1 (install Debian's libssl3): %s",
                 why ? why : "not found");
        return;
    }
#define RESOLVE(name)                                                                   \
    do {                                                                                \
        *(void **)(&api.name) = dlsym(handle, #name);                                   \
        if (api.name == NULL) {                                                         \
            snprintf(load_error, sizeof load_error, "libssl lacks %s (OpenSSL 1.1 or later is needed)", #name); \
            return;                                                                     \
        }                                                                               \
    } while (0)
    RESOLVE(TLS_client_method);
    RESOLVE(SSL_CTX_new);
    RESOLVE(SSL_CTX_free);
    RESOLVE(SSL_CTX_ctrl);
    RESOLVE(SSL_CTX_set_verify);
    RESOLVE(SSL_CTX_load_verify_locations);
    RESOLVE(SSL_CTX_set_default_verify_paths);
    RESOLVE(SSL_CTX_use_certificate_chain_file);
    RESOLVE(SSL_CTX_use_PrivateKey_file);
    RESOLVE(SSL_CTX_check_private_key);
    RESOLVE(SSL_new);
    RESOLVE(SSL_free);
    RESOLVE(SSL_set_fd);
    RESOLVE(SSL_ctrl);
    RESOLVE(SSL_set1_host);
    RESOLVE(SSL_get0_param);
    RESOLVE(X509_VERIFY_PARAM_set1_ip_asc);
    RESOLVE(SSL_connect);
    RESOLVE(SSL_get_error);
    RESOLVE(SSL_get_verify_result);
    RESOLVE(X509_verify_cert_error_string);
    RESOLVE(SSL_read);
    RESOLVE(SSL_write);
    RESOLVE(SSL_shutdown);
    RESOLVE(ERR_get_error);
    RESOLVE(ERR_error_string_n);
    RESOLVE(ERR_clear_error);
#undef RESOLVE
    load_result = 0;
}

int ctls_load(char *error, size_t error_length) {
    pthread_once(&once, load);
    if (load_result != 0 && error != NULL && error_length > 0) {
        snprintf(error, error_length, "%s", load_error);
    }
    return load_result;
}

SSL_CTX *ctls_SSL_CTX_new(void) { return api.SSL_CTX_new(api.TLS_client_method()); }
void ctls_SSL_CTX_free(SSL_CTX *ctx) { api.SSL_CTX_free(ctx); }
int ctls_SSL_CTX_set_min_tls12(SSL_CTX *ctx) {
    return (int)api.SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MIN_PROTO_VERSION, TLS1_2_VERSION, NULL);
}
void ctls_SSL_CTX_set_partial_writes(SSL_CTX *ctx) {
    api.SSL_CTX_ctrl(ctx, SSL_CTRL_MODE, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER, NULL);
}
void ctls_SSL_CTX_set_verify(SSL_CTX *ctx, int mode) { api.SSL_CTX_set_verify(ctx, mode, NULL); }
int ctls_SSL_CTX_load_verify_file(SSL_CTX *ctx, const char *file) { return api.SSL_CTX_load_verify_locations(ctx, file, NULL); }
int ctls_SSL_CTX_set_default_verify_paths(SSL_CTX *ctx) { return api.SSL_CTX_set_default_verify_paths(ctx); }
int ctls_SSL_CTX_use_certificate_chain_file(SSL_CTX *ctx, const char *file) {
    return api.SSL_CTX_use_certificate_chain_file(ctx, file);
}
int ctls_SSL_CTX_use_PrivateKey_file(SSL_CTX *ctx, const char *file) {
    return api.SSL_CTX_use_PrivateKey_file(ctx, file, SSL_FILETYPE_PEM);
}
int ctls_SSL_CTX_check_private_key(const SSL_CTX *ctx) { return api.SSL_CTX_check_private_key(ctx); }

SSL *ctls_SSL_new(SSL_CTX *ctx) { return api.SSL_new(ctx); }
void ctls_SSL_free(SSL *ssl) { api.SSL_free(ssl); }
int ctls_SSL_set_fd(SSL *ssl, int fd) { return api.SSL_set_fd(ssl, fd); }
int ctls_SSL_set_server_name(SSL *ssl, const char *name) {
    return (int)api.SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, (void *)name);
}
int ctls_SSL_verify_host(SSL *ssl, const char *name) { return api.SSL_set1_host(ssl, name); }
int ctls_SSL_verify_ip(SSL *ssl, const char *ip) { return api.X509_VERIFY_PARAM_set1_ip_asc(api.SSL_get0_param(ssl), ip); }
int ctls_SSL_connect(SSL *ssl) { return api.SSL_connect(ssl); }
int ctls_SSL_get_error(const SSL *ssl, int ret) { return api.SSL_get_error(ssl, ret); }
long ctls_SSL_get_verify_result(const SSL *ssl) { return api.SSL_get_verify_result(ssl); }
const char *ctls_verify_error_string(long code) { return api.X509_verify_cert_error_string(code); }
int ctls_SSL_read(SSL *ssl, void *buffer, int length) { return api.SSL_read(ssl, buffer, length); }
int ctls_SSL_write(SSL *ssl, const void *buffer, int length) { return api.SSL_write(ssl, buffer, length); }
int ctls_SSL_shutdown(SSL *ssl) { return api.SSL_shutdown(ssl); }

unsigned long ctls_ERR_get_error(void) { return api.ERR_get_error(); }
void ctls_ERR_error_string_n(unsigned long code, char *buffer, size_t length) { api.ERR_error_string_n(code, buffer, length); }
void ctls_ERR_clear_error(void) { api.ERR_clear_error(); }
