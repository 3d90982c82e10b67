// Open connections per client address, for the per-address limit and for choosing whom a full server
// evicts (guard.c). Called with the guard's lock held. IPv4 addresses are kept as IPv4-mapped IPv6.
#include "guard_internal.h"
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

enum { ADDRESS_BUCKETS = 4096 };

struct vcdm_address {
    struct vcdm_address *next;
    unsigned char key[16];
    unsigned int count;
};

static int address_key(const struct sockaddr *sa, unsigned char key[16]) {
    memset(key, 0, 16);
    if (sa && sa->sa_family == AF_INET) {
        key[10] = key[11] = 0xff;
        memcpy(key + 12, &((const struct sockaddr_in *)sa)->sin_addr, 4);
        return 0;
    }
    if (sa && sa->sa_family == AF_INET6) {
        memcpy(key, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
        return 0;
    }
    return -1;
}

static unsigned int bucket(const unsigned char key[16]) {
    uint32_t h = 2166136261u; // FNV-1a
    for (int i = 0; i < 16; i++) h = (h ^ key[i]) * 16777619u;
    return h % ADDRESS_BUCKETS;
}

struct vcdm_address *address_acquire_locked(struct vcdm_guard *g, const struct sockaddr *sa) {
    unsigned char key[16];
    if (address_key(sa, key) != 0) return NULL;
    if (!g->addresses && !(g->addresses = calloc(ADDRESS_BUCKETS, sizeof *g->addresses))) return NULL;
    struct vcdm_address **slot = &g->addresses[bucket(key)];
    for (struct vcdm_address *a = *slot; a; a = a->next) {
        if (memcmp(a->key, key, 16) == 0) {
            a->count++;
            return a;
        }
    }
    struct vcdm_address *a = calloc(1, sizeof *a);
    if (!a) return NULL;
    memcpy(a->key, key, 16);
    a->count = 1;
    a->next = *slot;
    *slot = a;
    return a;
}

unsigned int address_count(const struct vcdm_address *a) { return a ? a->count : 0; }

void address_release_locked(struct vcdm_guard *g, struct vcdm_address *a) {
    if (!a || --a->count > 0) return;
    for (struct vcdm_address **slot = &g->addresses[bucket(a->key)]; *slot; slot = &(*slot)->next) {
        if (*slot == a) {
            *slot = a->next;
            free(a);
            return;
        }
    }
}

void address_table_free(struct vcdm_guard *g) {
    if (!g->addresses) return;
    for (unsigned int i = 0; i < ADDRESS_BUCKETS; i++) {
        for (struct vcdm_address *a = g->addresses[i], *next; a; a = next) {
            next = a->next;
            free(a);
        }
    }
    free(g->addresses);
    g->addresses = NULL;
}
