package sim

import (
	"github.com/cascadep2p/cascade/air/data"
	"github.com/cascadep2p/cascade/air/sim/jsjson"
)

// HumanData decodes interpreter data into the JSON view AquaVM's to_human_readable_data
// prints (data.HumanReadable), as a jsjson value: nil for empty data and, as the oracle
// records text that is not JSON, {"decode_error": message} for bytes that do not decode.
func HumanData(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	text, err := data.HumanReadable(b)
	if err != nil {
		msg := err.Error()
		if h, ok := err.(interface{ HumanMessage() string }); ok {
			msg = h.HumanMessage()
		}
		o := jsjson.NewObject()
		o.Set("decode_error", msg)
		return o
	}
	v, err := jsjson.Parse(text)
	if err != nil {
		o := jsjson.NewObject()
		o.Set("decode_error", string(text))
		return o
	}
	return v
}
