// Foundation and libxml2's ICU types clash on clean builds; we never need ICU here.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlsave.h>
#include <libxml/globals.h>

// xmlFree is a global function pointer that Swift 6 rejects as shared mutable state.
static inline void vcdm_xml_free(void *ptr) { xmlFree(ptr); }

#include <libxml/dict.h>

// xmlReadMemory with one parser context per thread, reused: xmlReadMemory made and freed a context and
// its name dictionary for every request body. The dictionary only grows (one entry per distinct name), so
// a context that has seen many names is replaced. The returned document holds its own reference to the
// dictionary, so freeing the context first is safe.
static inline xmlDocPtr vcdm_xml_read_memory(const char *buffer, int size, const char *url, int options) {
    static __thread xmlParserCtxtPtr ctxt = NULL;
    if (ctxt != NULL && (ctxt->dict == NULL || xmlDictSize(ctxt->dict) > 4096)) {
        xmlFreeParserCtxt(ctxt);
        ctxt = NULL;
    }
    if (ctxt == NULL) {
        ctxt = xmlNewParserCtxt();
        if (ctxt == NULL) return NULL;
    }
    return xmlCtxtReadMemory(ctxt, buffer, size, url, NULL, options);
}
