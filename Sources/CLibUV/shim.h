#include <uv.h>
// timerfd: nanosecond deadlines for EventLoop.PreciseTimer (libuv timers tick in milliseconds).
#include <sys/timerfd.h>
