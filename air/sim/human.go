package sim

import (
	"github.com/cascadep2p/cascade/air/data"
	"github.com/cascadep2p/cascade/air/sim/jsjson"
)

// HumanData decodes interpreter data into the JSON view AquaVM's to_human_readable_data
// prints, as a jsjson value: nil for empty data, {"decode_error": message} for bytes that
// do not decode.
func HumanData(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	decodeError := func(err error) any {
		o := jsjson.NewObject()
		o.Set("decode_error", err.Error())
		return o
	}
	d, err := data.Decode(b, data.DefaultLimits)
	if err != nil {
		return decodeError(err)
	}
	text, err := data.ToHumanJSON(d)
	if err != nil {
		return decodeError(err)
	}
	v, err := jsjson.Parse(text)
	if err != nil {
		return decodeError(err)
	}
	return v
}
