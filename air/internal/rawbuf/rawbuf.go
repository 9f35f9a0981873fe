// Package rawbuf allocates byte buffers without zeroing them first. The interpreter
// writes megabytes of JSON text and archive bytes into buffers it fills completely
// before reading them; clearing such a buffer first costs as much as writing it.
package rawbuf

import (
	"strings"
	"unsafe"
)

// zeroLimit is the size below which Make just calls make: small allocations come
// from size classes whose clearing costs next to nothing.
const zeroLimit = 32 << 10

// Make returns an empty byte slice with room for at least n bytes whose contents are
// unspecified: the caller must write every byte before reading it.
func Make(n int) []byte {
	if n < zeroLimit {
		return make([]byte, 0, n)
	}
	// strings.Builder grows into memory the runtime does not clear. The one byte
	// written makes String's data pointer that of the buffer.
	var b strings.Builder
	b.Grow(n)
	b.WriteByte(0)
	return unsafe.Slice(unsafe.StringData(b.String()), n)[:0]
}
