// zlib: the deflate stream inside HdrHistogram's compressed V2 encoding (.hlog files).
#include <zlib.h>
