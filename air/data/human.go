package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"unicode/utf8"
)

// HumanReadable decodes raw interpreter data and returns its JSON view, applying the
// rules of AquaVM's to_human_readable_data: empty input is rejected, the envelope is read
// as by ParseEnvelope and its interpreter_version must be at least MinInterpreterVersion.
// The returned errors are *DecodeError (their HumanMessage is AquaVM's text) or *VersionError.
func HumanReadable(b []byte) ([]byte, error) {
	if len(b) == 0 {
		return nil, &DecodeError{Kind: KindEnvelope, Msg: errMarkerEOF.display, debug: errMarkerEOF.debug}
	}
	env, err := ParseEnvelope(b, Limits{})
	if err != nil {
		return nil, err
	}
	if err := CheckVersion(env.InterpreterVersion); err != nil {
		return nil, err
	}
	d, err := env.Decode(Limits{})
	if err != nil {
		return nil, err
	}
	return ToHumanJSON(d)
}

// ToHumanJSON renders d exactly as AquaVM's to_human_readable_data does: serde_json's
// pretty printer (two-space indent, object keys sorted) over
// {"data": {trace, lcid, cid_info, signatures}, "versions": {version, interpreter_version}}.
// Empty versions (data not decoded from bytes) are shown as the versions Encode writes.
// It fails only on text that is not valid UTF-8.
func ToHumanJSON(d *Data) ([]byte, error) {
	w := &jsonWriter{}
	w.open('{')
	w.key("data")
	w.open('{')
	w.key("cid_info")
	humanStores(w, &d.CidInfo)
	w.key("lcid")
	w.raw(strconv.FormatUint(uint64(d.LastCallRequestID), 10))
	w.key("signatures")
	w.open('{')
	sigs := make([][2]string, 0, len(d.Signatures))
	for k, v := range d.Signatures {
		sigs = append(sigs, [2]string{base58Encode(k), base58Encode(v)})
	}
	slices.SortFunc(sigs, func(a, b [2]string) int { return cmpString(a[0], b[0]) })
	for _, kv := range sigs {
		w.key(kv[0])
		w.str(kv[1])
	}
	w.close('}')
	w.key("trace")
	w.open('[')
	for i := range d.Trace {
		w.elem()
		humanState(w, &d.Trace[i])
	}
	w.close(']')
	w.close('}')
	w.key("versions")
	w.open('{')
	v, iv := d.Version, d.InterpreterVersion
	if v == "" && iv == "" {
		v, iv = FormatVersion, InterpreterVersion
	}
	w.key("interpreter_version")
	w.str(iv)
	w.key("version")
	w.str(v)
	w.close('}')
	w.close('}')
	if w.bad {
		return nil, errors.New("interpreter data holds text that is not valid UTF-8")
	}
	return w.buf, nil
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func humanStores(w *jsonWriter, ci *CidInfo) {
	w.open('{')
	w.key("canon_element_store")
	w.open('{')
	for _, k := range slices.Sorted(maps.Keys(ci.CanonElementStore)) {
		e := ci.CanonElementStore[k]
		w.key(k)
		w.open('{')
		w.key("provenance")
		w.open('{')
		if e.Provenance.Kind != ProvenanceLiteral {
			w.key("cid")
			w.str(e.Provenance.CID)
		}
		w.key("type")
		w.str(provenanceNames[e.Provenance.Kind%3])
		w.close('}')
		w.key("tetraplet")
		w.str(e.Tetraplet)
		w.key("value")
		w.str(e.Value)
		w.close('}')
	}
	w.close('}')
	w.key("canon_result_store")
	w.open('{')
	for _, k := range slices.Sorted(maps.Keys(ci.CanonResultStore)) {
		e := ci.CanonResultStore[k]
		w.key(k)
		w.open('{')
		w.key("tetraplet")
		w.str(e.Tetraplet)
		w.key("values")
		w.open('[')
		for _, v := range e.Values {
			w.elem()
			w.str(v)
		}
		w.close(']')
		w.close('}')
	}
	w.close('}')
	w.key("service_result_store")
	w.open('{')
	for _, k := range slices.Sorted(maps.Keys(ci.ServiceResultStore)) {
		e := ci.ServiceResultStore[k]
		w.key(k)
		w.open('{')
		w.key("argument_hash")
		w.str(e.ArgumentHash)
		w.key("tetraplet_cid")
		w.str(e.TetrapletCID)
		w.key("value_cid")
		w.str(e.ValueCID)
		w.close('}')
	}
	w.close('}')
	w.key("tetraplet_store")
	w.open('{')
	for _, k := range slices.Sorted(maps.Keys(ci.TetrapletStore)) {
		t := ci.TetrapletStore[k]
		w.key(k)
		w.open('{')
		w.key("function_name")
		w.str(t.FunctionName)
		w.key("lens")
		w.str(t.Lens)
		w.key("peer_pk")
		w.str(t.PeerPK)
		w.key("service_id")
		w.str(t.ServiceID)
		w.close('}')
	}
	w.close('}')
	w.key("value_store")
	w.open('{')
	for _, k := range slices.Sorted(maps.Keys(ci.ValueStore)) {
		w.key(k)
		w.str(ci.ValueStore[k])
	}
	w.close('}')
	w.close('}')
}

var provenanceNames = [3]string{"literal", "service_result", "canon"}

func humanState(w *jsonWriter, st *State) {
	w.open('{')
	switch st.Kind {
	case StatePar:
		w.key("par")
		w.open('[')
		w.elem()
		w.raw(strconv.FormatUint(uint64(st.Left), 10))
		w.elem()
		w.raw(strconv.FormatUint(uint64(st.Right), 10))
		w.close(']')
	case StateCall:
		w.key("call")
		w.open('{')
		c := &st.Call
		switch c.Kind {
		case CallSentBy:
			w.key("sent_by")
			w.open('{')
			if c.WithCallID {
				w.key("PeerIdWithCallId")
				w.open('{')
				w.key("call_id")
				w.raw(strconv.FormatUint(uint64(c.CallID), 10))
				w.key("peer_id")
				w.str(c.SenderPeer)
				w.close('}')
			} else {
				w.key("PeerId")
				w.str(c.SenderPeer)
			}
			w.close('}')
		case CallExecuted:
			w.key("executed")
			w.open('{')
			switch c.Value.Kind {
			case ValueScalar:
				w.key("scalar")
				w.str(c.Value.CID)
			case ValueStream:
				w.key("stream")
				w.open('{')
				w.key("cid")
				w.str(c.Value.CID)
				w.key("generation")
				w.raw(strconv.FormatUint(uint64(c.Value.Generation), 10))
				w.close('}')
			default:
				w.key("unused")
				w.str(c.Value.CID)
			}
			w.close('}')
		default:
			w.key("failed")
			w.str(c.FailedCID)
		}
		w.close('}')
	case StateFold:
		w.key("fold")
		w.open('{')
		w.key("lore")
		w.open('[')
		for _, l := range st.Lore {
			w.elem()
			w.open('{')
			w.key("desc")
			w.open('[')
			for _, d := range l.Desc {
				w.elem()
				w.open('{')
				w.key("len")
				w.raw(strconv.FormatUint(uint64(d.Len), 10))
				w.key("pos")
				w.raw(strconv.FormatUint(uint64(d.BeginPos), 10))
				w.close('}')
			}
			w.close(']')
			w.key("pos")
			w.raw(strconv.FormatUint(uint64(l.ValuePos), 10))
			w.close('}')
		}
		w.close(']')
		w.close('}')
	case StateAp:
		w.key("ap")
		w.open('{')
		w.key("gens")
		w.open('[')
		for _, g := range st.Gens {
			w.elem()
			w.raw(strconv.FormatUint(uint64(g), 10))
		}
		w.close(']')
		w.close('}')
	default:
		w.key("canon")
		w.open('{')
		if st.Canon.Executed {
			w.key("executed")
			w.str(st.Canon.CID)
		} else {
			w.key("sent_by")
			w.str(st.Canon.PeerID)
		}
		w.close('}')
	}
	w.close('}')
}

// jsonWriter writes JSON like serde_json's PrettyFormatter.
type jsonWriter struct {
	buf   []byte
	depth int
	empty []bool // per open container: nothing written in it yet
	bad   bool   // invalid UTF-8 met
}

func (w *jsonWriter) open(c byte) {
	w.buf = append(w.buf, c)
	w.depth++
	w.empty = append(w.empty, true)
}

func (w *jsonWriter) close(c byte) {
	w.depth--
	wasEmpty := w.empty[len(w.empty)-1]
	w.empty = w.empty[:len(w.empty)-1]
	if !wasEmpty {
		w.newline()
	}
	w.buf = append(w.buf, c)
}

func (w *jsonWriter) newline() {
	w.buf = append(w.buf, '\n')
	for range w.depth {
		w.buf = append(w.buf, ' ', ' ')
	}
}

// elem starts an array element.
func (w *jsonWriter) elem() {
	if !w.empty[len(w.empty)-1] {
		w.buf = append(w.buf, ',')
	}
	w.empty[len(w.empty)-1] = false
	w.newline()
}

// key starts an object member.
func (w *jsonWriter) key(k string) {
	w.elem()
	w.str(k)
	w.buf = append(w.buf, ':', ' ')
}

func (w *jsonWriter) raw(s string) { w.buf = append(w.buf, s...) }

// str writes a string with serde_json's escaping.
func (w *jsonWriter) str(s string) {
	if !utf8.ValidString(s) {
		w.bad = true
	}
	w.buf = appendJSONString(w.buf, s)
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s quoted with serde_json's rules: `"`, `\` and control
// characters escaped (short forms where JSON has them), everything else raw.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"':
			dst = append(dst, '\\', '"')
		case '\\':
			dst = append(dst, '\\', '\\')
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\t':
			dst = append(dst, '\\', 't')
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\f':
			dst = append(dst, '\\', 'f')
		case '\r':
			dst = append(dst, '\\', 'r')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// FromHumanJSON is the inverse of ToHumanJSON: it reads the JSON view (the whole
// {"data", "versions"} object, or the bare data object) back into a Data. Versions are
// recorded as given. Unknown variants and malformed fields are errors.
func FromHumanJSON(b []byte) (*Data, error) {
	var top map[string]json.RawMessage
	if err := strictUnmarshal(b, &top); err != nil {
		return nil, fmt.Errorf("data JSON: %w", err)
	}
	d := New()
	body := b
	if raw, ok := top["data"]; ok {
		body = raw
		if vraw, ok := top["versions"]; ok {
			var v struct {
				Version            string `json:"version"`
				InterpreterVersion string `json:"interpreter_version"`
			}
			if err := strictUnmarshal(vraw, &v); err != nil {
				return nil, fmt.Errorf("data JSON: versions: %w", err)
			}
			d.Version, d.InterpreterVersion = v.Version, v.InterpreterVersion
		}
	}
	var hd struct {
		Trace   []map[string]json.RawMessage `json:"trace"`
		Lcid    uint32                       `json:"lcid"`
		CidInfo struct {
			ValueStore        map[string]string    `json:"value_store"`
			TetrapletStore    map[string]Tetraplet `json:"tetraplet_store"`
			CanonElementStore map[string]struct {
				Value      string `json:"value"`
				Tetraplet  string `json:"tetraplet"`
				Provenance struct {
					Type string  `json:"type"`
					CID  *string `json:"cid"`
				} `json:"provenance"`
			} `json:"canon_element_store"`
			CanonResultStore map[string]struct {
				Tetraplet string   `json:"tetraplet"`
				Values    []string `json:"values"`
			} `json:"canon_result_store"`
			ServiceResultStore map[string]struct {
				ValueCID     string `json:"value_cid"`
				ArgumentHash string `json:"argument_hash"`
				TetrapletCID string `json:"tetraplet_cid"`
			} `json:"service_result_store"`
		} `json:"cid_info"`
		Signatures map[string]string `json:"signatures"`
	}
	if err := strictUnmarshal(body, &hd); err != nil {
		return nil, fmt.Errorf("data JSON: %w", err)
	}
	d.LastCallRequestID = hd.Lcid
	ci := &d.CidInfo
	for k, v := range hd.CidInfo.ValueStore {
		ci.ValueStore[k] = v
	}
	for k, v := range hd.CidInfo.TetrapletStore {
		ci.TetrapletStore[k] = v
	}
	for k, v := range hd.CidInfo.CanonElementStore {
		ce := CanonElement{Value: v.Value, Tetraplet: v.Tetraplet}
		switch v.Provenance.Type {
		case "literal":
			ce.Provenance.Kind = ProvenanceLiteral
		case "service_result":
			ce.Provenance.Kind = ProvenanceServiceResult
		case "canon":
			ce.Provenance.Kind = ProvenanceCanon
		default:
			return nil, fmt.Errorf("data JSON: canon_element_store %s: unknown provenance type %q", k, v.Provenance.Type)
		}
		if (ce.Provenance.Kind == ProvenanceLiteral) != (v.Provenance.CID == nil) {
			return nil, fmt.Errorf("data JSON: canon_element_store %s: provenance %q with wrong cid field", k, v.Provenance.Type)
		}
		if v.Provenance.CID != nil {
			ce.Provenance.CID = *v.Provenance.CID
		}
		ci.CanonElementStore[k] = ce
	}
	for k, v := range hd.CidInfo.CanonResultStore {
		ci.CanonResultStore[k] = CanonResultAgg{Tetraplet: v.Tetraplet, Values: nilIfEmpty(v.Values)}
	}
	for k, v := range hd.CidInfo.ServiceResultStore {
		ci.ServiceResultStore[k] = ServiceResultAgg(v)
	}
	for k, v := range hd.Signatures {
		kb, err := base58Decode(k)
		if err != nil {
			return nil, fmt.Errorf("data JSON: signature key %q: %w", k, err)
		}
		vb, err := base58Decode(v)
		if err != nil {
			return nil, fmt.Errorf("data JSON: signature of %q: %w", k, err)
		}
		d.Signatures[kb] = vb
	}
	if len(hd.Trace) > 0 {
		d.Trace = make([]State, len(hd.Trace))
	}
	for i, m := range hd.Trace {
		if err := stateFromJSON(m, &d.Trace[i]); err != nil {
			return nil, fmt.Errorf("data JSON: trace[%d]: %w", i, err)
		}
	}
	return d, nil
}

// nilIfEmpty keeps the package's convention: empty lists are nil.
func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

// strictUnmarshal decodes JSON rejecting unknown object fields.
func strictUnmarshal(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after JSON value")
	}
	return nil
}

// oneOf splits a single-key JSON object (an externally tagged serde enum).
func oneOf(m map[string]json.RawMessage) (string, json.RawMessage, error) {
	if len(m) != 1 {
		return "", nil, fmt.Errorf("expected an object with one variant key, got %d keys", len(m))
	}
	for k, v := range m {
		return k, v, nil
	}
	panic("unreachable")
}

func stateFromJSON(m map[string]json.RawMessage, st *State) error {
	k, v, err := oneOf(m)
	if err != nil {
		return err
	}
	switch k {
	case "par":
		var lr [2]uint32
		if err := strictUnmarshal(v, &lr); err != nil {
			return err
		}
		st.Kind, st.Left, st.Right = StatePar, lr[0], lr[1]
	case "call":
		st.Kind = StateCall
		var cm map[string]json.RawMessage
		if err := strictUnmarshal(v, &cm); err != nil {
			return err
		}
		return callFromJSON(cm, &st.Call)
	case "fold":
		var f struct {
			Lore []struct {
				Pos  uint32 `json:"pos"`
				Desc []struct {
					Pos uint32 `json:"pos"`
					Len uint32 `json:"len"`
				} `json:"desc"`
			} `json:"lore"`
		}
		if err := strictUnmarshal(v, &f); err != nil {
			return err
		}
		st.Kind = StateFold
		for _, l := range f.Lore {
			fl := FoldLore{ValuePos: l.Pos}
			for _, d := range l.Desc {
				fl.Desc = append(fl.Desc, SubTraceDesc{BeginPos: d.Pos, Len: d.Len})
			}
			st.Lore = append(st.Lore, fl)
		}
	case "ap":
		var a struct {
			Gens []uint32 `json:"gens"`
		}
		if err := strictUnmarshal(v, &a); err != nil {
			return err
		}
		st.Kind, st.Gens = StateAp, nilIfEmpty(a.Gens)
	case "canon":
		var cm map[string]string
		if err := strictUnmarshal(v, &cm); err != nil {
			return err
		}
		st.Kind = StateCanon
		if len(cm) != 1 {
			return errors.New("canon: expected one variant key")
		}
		if s, ok := cm["executed"]; ok {
			st.Canon = CanonResult{Executed: true, CID: s}
		} else if s, ok := cm["sent_by"]; ok {
			st.Canon = CanonResult{PeerID: s}
		} else {
			return errors.New("canon: unknown variant")
		}
	default:
		return fmt.Errorf("unknown state %q", k)
	}
	return nil
}

func callFromJSON(m map[string]json.RawMessage, c *CallResult) error {
	k, v, err := oneOf(m)
	if err != nil {
		return err
	}
	switch k {
	case "sent_by":
		var sm map[string]json.RawMessage
		if err := strictUnmarshal(v, &sm); err != nil {
			return err
		}
		sk, sv, err := oneOf(sm)
		if err != nil {
			return err
		}
		c.Kind = CallSentBy
		switch sk {
		case "PeerId":
			return strictUnmarshal(sv, &c.SenderPeer)
		case "PeerIdWithCallId":
			var p struct {
				PeerID string `json:"peer_id"`
				CallID uint32 `json:"call_id"`
			}
			if err := strictUnmarshal(sv, &p); err != nil {
				return err
			}
			c.WithCallID, c.SenderPeer, c.CallID = true, p.PeerID, p.CallID
		default:
			return fmt.Errorf("unknown sender %q", sk)
		}
	case "executed":
		var em map[string]json.RawMessage
		if err := strictUnmarshal(v, &em); err != nil {
			return err
		}
		ek, ev, err := oneOf(em)
		if err != nil {
			return err
		}
		c.Kind = CallExecuted
		switch ek {
		case "scalar":
			c.Value.Kind = ValueScalar
			return strictUnmarshal(ev, &c.Value.CID)
		case "unused":
			c.Value.Kind = ValueUnused
			return strictUnmarshal(ev, &c.Value.CID)
		case "stream":
			var s struct {
				CID        string `json:"cid"`
				Generation uint32 `json:"generation"`
			}
			if err := strictUnmarshal(ev, &s); err != nil {
				return err
			}
			c.Value = ValueRef{Kind: ValueStream, CID: s.CID, Generation: s.Generation}
		default:
			return fmt.Errorf("unknown value kind %q", ek)
		}
	case "failed":
		c.Kind = CallFailed
		return strictUnmarshal(v, &c.FailedCID)
	default:
		return fmt.Errorf("unknown call result %q", k)
	}
	return nil
}
