// Package accesslog writes access logs in the Combined Log Format without
// putting file I/O, locks on a shared writer, or allocations on the event
// loop:
//
//	192.0.2.1 - alice [02/Jan/2006:15:04:05 -0700] "GET /x HTTP/1.1" 200 123 "https://ref/" "agent/1.0"
//
// Each event loop owns a [Buffer] and formats finished requests into it.
// Full chunks (and, on the owner's timer, partial ones) are handed to the
// [Logger]'s single writer goroutine through a bounded queue. When the
// writer falls behind and the queue is full, the chunk's lines are dropped
// and counted ([Logger.Dropped]) instead of stalling the loop: losing log
// lines under overload is better than losing requests.
//
// Fields that come from the client are escaped: quotes, backslashes,
// control bytes and bytes >= 0x7f become \xHH (and spaces too in the
// unquoted fields), so no request can forge a line or a field.
package accesslog
