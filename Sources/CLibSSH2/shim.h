#ifndef TESTBED_CLIBSSH2_SHIM_H
#define TESTBED_CLIBSSH2_SHIM_H
// libssh2 for sessions and channels; OpenSSL's libcrypto (a dependency of Debian's libssh2-1-dev)
// for the SHA-256 host-key fingerprints and the HMAC-SHA1 of hashed known_hosts entries.
#include <libssh2.h>
#include <libssh2_publickey.h>
#include <openssl/sha.h>
#include <openssl/hmac.h>
#include <openssl/evp.h>
#endif
