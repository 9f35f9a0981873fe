package value

import (
	"unsafe"

	"github.com/cascadep2p/cascade/air/internal/slab"
)

// A Value holding a string or a Number points at a copy of it. Converting to the
// interface allocates that copy, 16 bytes, once per string or number of a document;
// boxes instead places the copies in slab chunks and builds the interface value from
// the chunk element, so that a parse makes a few dozen allocations instead of one per
// scalar. The copies are never written after the interface value is made, as for any
// boxed value.
type boxes struct {
	strs slab.Slab[string]
	nums slab.Slab[Number]
}

// eface is the layout of an empty interface value: its dynamic type and a pointer to
// its data.
type eface struct {
	typ, data unsafe.Pointer
}

var (
	stringType = typeOf("")
	numberType = typeOf(Number{})
)

func typeOf(v any) unsafe.Pointer { return (*eface)(unsafe.Pointer(&v)).typ }

// fromData returns the interface value of dynamic type typ whose data is at data.
func fromData(typ, data unsafe.Pointer) Value {
	var v Value
	e := (*eface)(unsafe.Pointer(&v))
	e.typ, e.data = typ, data
	return v
}

// string returns s as a Value.
func (b *boxes) string(s string) Value {
	if s == "" {
		return "" // the runtime boxes empty strings without allocating
	}
	p := b.strs.New()
	*p = s
	return fromData(stringType, unsafe.Pointer(p))
}

// number returns n as a Value.
func (b *boxes) number(n Number) Value {
	p := b.nums.New()
	*p = n
	return fromData(numberType, unsafe.Pointer(p))
}
