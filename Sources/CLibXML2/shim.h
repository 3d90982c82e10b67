// Foundation and libxml2's ICU types clash on clean builds; we never need ICU here.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlsave.h>
#include <libxml/globals.h>

// xmlFree is a global function pointer that Swift 6 rejects as shared mutable state.
static inline void vcdm_xml_free(void *ptr) { xmlFree(ptr); }

#include <libxml/dict.h>

// Request bodies are parsed with SAX callbacks into Swift values (no libxml2 tree to build, walk and free),
// with one parser context per thread, reused (xmlReadMemory made and freed a context and its name
// dictionary per body). The dictionary only grows (one entry per distinct name), so a context that has
// seen many names is replaced.
static __thread xmlParserCtxtPtr vcdm_sax_ctxt = NULL;
static __thread int vcdm_sax_doctype = 0;

// A DOCTYPE is how entity bombs and external entities get in: parsing stops at its name.
static void vcdm_sax_internal_subset(void *ctx, const xmlChar *name, const xmlChar *external, const xmlChar *system) {
    (void)ctx; (void)name; (void)external; (void)system;
    vcdm_sax_doctype = 1;
    if (vcdm_sax_ctxt != NULL) xmlStopParser(vcdm_sax_ctxt);
}

enum { VCDM_SAX_OK = 0, VCDM_SAX_MALFORMED = 1, VCDM_SAX_DOCTYPE = 2, VCDM_SAX_NO_MEMORY = 3 };

// Parses buffer, calling start/end/characters with user_data; returns one of the VCDM_SAX_ codes.
// libxml2 2.9 asks its input for more bytes (xmlParserInputGrow, ~250 instructions) at almost every token
// closer than INPUT_CHUNK (250) bytes to its end: a 140-byte Task body paid 8k instructions for it. With
// `padded` set, the body is parsed from a copy followed by NUL bytes. libxml2 reads a NUL as the end of its
// input (its buffers are NUL-terminated), so it sees the same bytes and ends where it would have, without
// the grow calls. A body that fails is parsed again as sent, so error messages and lines stay libxml2's own;
// the fuzz target `xml` checks that both ways give the same tree.
#define VCDM_SAX_PADDING 256
static inline int vcdm_xml_sax_read(const char *buffer, int size, int padded, const char *url, int options, void *user_data,
                                    startElementNsSAX2Func start, endElementNsSAX2Func end, charactersSAXFunc characters) {
    char *copy = NULL;
    if (padded) {
        copy = malloc((size_t)size + VCDM_SAX_PADDING);
        if (copy == NULL) return VCDM_SAX_NO_MEMORY;
        memcpy(copy, buffer, (size_t)size);
        memset(copy + size, 0, VCDM_SAX_PADDING);
        buffer = copy;
        size += VCDM_SAX_PADDING;
    }
    if (vcdm_sax_ctxt != NULL && (vcdm_sax_ctxt->dict == NULL || xmlDictSize(vcdm_sax_ctxt->dict) > 4096)) {
        xmlFreeParserCtxt(vcdm_sax_ctxt);
        vcdm_sax_ctxt = NULL;
    }
    if (vcdm_sax_ctxt == NULL) {
        vcdm_sax_ctxt = xmlNewParserCtxt();
        if (vcdm_sax_ctxt == NULL || vcdm_sax_ctxt->sax == NULL) {
            free(copy);
            return VCDM_SAX_NO_MEMORY;
        }
    }
    xmlSAXHandler *sax = vcdm_sax_ctxt->sax;
    memset(sax, 0, sizeof(*sax));
    sax->initialized = XML_SAX2_MAGIC;
    sax->startElementNs = start;
    sax->endElementNs = end;
    sax->characters = characters;
    sax->cdataBlock = characters;
    sax->internalSubset = vcdm_sax_internal_subset;
    vcdm_sax_ctxt->userData = user_data;
    vcdm_sax_doctype = 0;
    xmlResetLastError();
    xmlDocPtr doc = xmlCtxtReadMemory(vcdm_sax_ctxt, buffer, size, url, NULL, options);
    if (doc != NULL) xmlFreeDoc(doc);  // none is built without a startDocument callback
    free(copy);
    if (vcdm_sax_doctype) return VCDM_SAX_DOCTYPE;
    return vcdm_sax_ctxt->wellFormed ? VCDM_SAX_OK : VCDM_SAX_MALFORMED;
}
