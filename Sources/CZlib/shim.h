/* zlib for permessage-deflate (RFC 7692). ZLIB_CONST makes next_in a const pointer, so
   Swift can feed zlib from read-only buffers. The init macros pass ZLIB_VERSION and the
   struct size, which Swift cannot expand: these inline functions do it. */
#define ZLIB_CONST
#include <zlib.h>

static inline int czlib_deflate_init(z_streamp stream, int level, int window_bits, int mem_level) {
    return deflateInit2(stream, level, Z_DEFLATED, window_bits, mem_level, Z_DEFAULT_STRATEGY);
}

static inline int czlib_inflate_init(z_streamp stream, int window_bits) {
    return inflateInit2(stream, window_bits);
}
