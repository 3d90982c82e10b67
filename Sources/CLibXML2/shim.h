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
