package air

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unsafe"

	"github.com/cascadep2p/cascade/air/cid"
	"github.com/cascadep2p/cascade/air/data"
	"github.com/cascadep2p/cascade/air/internal/keysort"
	"github.com/cascadep2p/cascade/air/internal/rustfmt"
	"github.com/cascadep2p/cascade/air/sig"
)

func decodeErr(err error) *prepError {
	var de *data.DecodeError
	if errors.As(err, &de) {
		return &prepError{int64(de.RetCode()), de.AVMMessage()}
	}
	return &prepError{CodeDataDeFailed, "an error occurred while data deserialization: " + err.Error()}
}

// parseData decodes prev and current data in AquaVM's order: both envelopes, the version
// of the current data, then both archives.
func parseData(prevRaw, curRaw []byte) (*data.Data, *data.Data, *prepError) {
	lim := data.Limits{Alias: true}
	pe, err := data.ParseEnvelope(prevRaw, lim)
	if err != nil {
		return nil, nil, decodeErr(err)
	}
	ce, err := data.ParseEnvelope(curRaw, lim)
	if err != nil {
		return nil, nil, decodeErr(err)
	}
	if err := data.CheckVersion(ce.InterpreterVersion); err != nil {
		return nil, nil, &prepError{CodeUnsupportedInterpreterVer, err.Error()}
	}
	prev, err := pe.Decode(lim)
	if err != nil {
		return nil, nil, decodeErr(err)
	}
	cur, err := ce.Decode(lim)
	if err != nil {
		return nil, nil, decodeErr(err)
	}
	return prev, cur, nil
}

// verifyCidInfo recomputes every CID of the stores and checks every reference. Like
// AquaVM, which walks hash maps, it reports the first failure found in no set order.
func verifyCidInfo(ci *data.CidInfo) *prepError {
	mismatch := func(typ, c string) *prepError {
		return &prepError{CodeCidStoreVerificationError, fmt.Sprintf("Value mismatch in the %q store for CID %q", typ, c)}
	}
	var buf []byte
	check := func(typ, c string, text []byte) *prepError {
		if err := cid.Verify(c, text); err != nil {
			var mm *cid.MismatchError
			if errors.As(err, &mm) {
				return mismatch(typ, c)
			}
			return &prepError{CodeCidStoreVerificationError, err.Error()}
		}
		return nil
	}
	missing := func(src, dst, c string) *prepError {
		return &prepError{CodeCidStoreVerificationError, fmt.Sprintf("Reference CID %q from type %q to %q was not found", c, src, dst)}
	}
	const (
		tRaw = "air_interpreter_data::raw_value::RawValue"
		tTet = "marine_call_parameters::SecurityTetraplet"
		tSR  = "air_interpreter_data::executed_state::ServiceResultCidAggregate"
		tCE  = "air_interpreter_data::executed_state::CanonCidAggregate"
		tCR  = "air_interpreter_data::executed_state::CanonResultCidAggregate"
	)
	for c, text := range ci.ValueStore {
		if p := check(tRaw, c, stringBytes(text)); p != nil {
			return p
		}
	}
	for c, t := range ci.TetrapletStore {
		buf = tetrapletJSON(buf[:0], &t)
		if p := check(tTet, c, buf); p != nil {
			return p
		}
	}
	for c, e := range ci.CanonElementStore {
		buf = canonElementJSON(buf[:0], &e, false)
		if p := check(tCE, c, buf); p != nil {
			return p
		}
	}
	for c, r := range ci.CanonResultStore {
		buf = canonResultJSON(buf[:0], &r, false)
		if p := check(tCR, c, buf); p != nil {
			return p
		}
	}
	for _, r := range ci.CanonResultStore {
		for _, v := range r.Values {
			if _, ok := ci.CanonElementStore[v]; !ok {
				return missing(tCR, tCE, v)
			}
		}
		if _, ok := ci.TetrapletStore[r.Tetraplet]; !ok {
			return missing(tCR, tTet, r.Tetraplet)
		}
	}
	for _, e := range ci.CanonElementStore {
		if _, ok := ci.TetrapletStore[e.Tetraplet]; !ok {
			return missing(tCE, tTet, e.Tetraplet)
		}
		if _, ok := ci.ValueStore[e.Value]; !ok {
			return missing(tCE, tRaw, e.Value)
		}
		switch e.Provenance.Kind {
		case data.ProvenanceServiceResult:
			if _, ok := ci.ServiceResultStore[e.Provenance.CID]; !ok {
				return missing(tCE, tSR, e.Provenance.CID)
			}
		case data.ProvenanceCanon:
			if _, ok := ci.CanonResultStore[e.Provenance.CID]; !ok {
				return missing(tCE, tCR, e.Provenance.CID)
			}
		}
	}
	for c, a := range ci.ServiceResultStore {
		buf = serviceResultJSON(buf[:0], &a)
		if p := check(tSR, c, buf); p != nil {
			return p
		}
	}
	for _, a := range ci.ServiceResultStore {
		if _, ok := ci.TetrapletStore[a.TetrapletCID]; !ok {
			return missing(tSR, tTet, a.TetrapletCID)
		}
		if _, ok := ci.ValueStore[a.ValueCID]; !ok {
			return missing(tSR, tRaw, a.ValueCID)
		}
	}
	return nil
}

// peerInfo groups, per signing peer, its key, signature and the CIDs it produced.
type peerInfo struct {
	pk, sig string
	peerID  string
	cids    []string
}

func sigErr(format string, args ...any) *prepError {
	return &prepError{CodeDataSignatureCheckError, fmt.Sprintf(format, args...)}
}

// groupCids builds AquaVM's DataVerifier for one data: signers by peer id, with the CIDs
// each produced according to the trace.
func groupCids(d *data.Data) (map[string]*peerInfo, *prepError) {
	grouped := make(map[string]*peerInfo, len(d.Signatures))
	for _, pk := range slices.Sorted(maps.Keys(d.Signatures)) {
		pid, err := sig.PeerIDFromPublicKeyRaw([]byte(pk))
		if err != nil {
			return nil, sigErr("malformed key: %s: %s", rustfmt.DebugStr(sig.Base58Encode([]byte(pk))), err.Error())
		}
		grouped[pid] = &peerInfo{pk: pk, sig: d.Signatures[pk], peerID: pid}
	}
	ci := &d.CidInfo
	// Consecutive results mostly come from the same service on the same peer: the last
	// tetraplet CID and its signer are remembered.
	var lastTet string
	var last *peerInfo
	for i := range d.Trace {
		st := &d.Trace[i]
		var c string
		var tetCID string
		switch {
		case st.Kind == data.StateCall && st.Call.Kind == data.CallFailed:
			c = st.Call.FailedCID
		case st.Kind == data.StateCall && st.Call.Kind == data.CallExecuted && st.Call.Value.Kind != data.ValueUnused:
			c = st.Call.Value.CID
		case st.Kind == data.StateCanon && st.Canon.Executed:
			r, ok := ci.CanonResultStore[st.Canon.CID]
			if !ok {
				return nil, sigErr("canon result %q is missing from the data", st.Canon.CID)
			}
			tetCID = r.Tetraplet
			c = st.Canon.CID
		default:
			continue
		}
		if tetCID == "" {
			a, ok := ci.ServiceResultStore[c]
			if !ok {
				return nil, sigErr("service result %q is missing from the data", c)
			}
			tetCID = a.TetrapletCID
		}
		if last == nil || tetCID != lastTet {
			t, ok := ci.TetrapletStore[tetCID]
			if !ok {
				return nil, sigErr("tetraplet %q is missing from the data", tetCID)
			}
			pi := grouped[t.PeerPK]
			if pi == nil {
				return nil, sigErr("peer_id doens't match any available public key: %s", rustfmt.DebugStr(t.PeerPK))
			}
			lastTet, last = tetCID, pi
		}
		last.cids = append(last.cids, c)
	}
	for _, pi := range grouped {
		keysort.Strings(pi.cids)
	}
	return grouped, nil
}

func cidsDebug(cids []string) string {
	parts := make([]string, len(cids))
	for i, c := range cids {
		parts[i] = rustfmt.DebugStr(c)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// verifyData checks the current data (CIDs and signatures) and merges the signature
// stores of prev and current data as AquaVM does.
func verifyData(prev, cur *data.Data, particleID string) (map[string]string, *prepError) {
	if p := verifyCidInfo(&cur.CidInfo); p != nil {
		return nil, p
	}
	pg, p := groupCids(prev)
	if p != nil {
		return nil, p
	}
	cg, p := groupCids(cur)
	if p != nil {
		return nil, p
	}
	for _, pid := range slices.Sorted(maps.Keys(cg)) {
		pi := cg[pid]
		if err := sig.Verify([]byte(pi.pk), []byte(pi.sig), pi.cids, particleID); err != nil {
			detail := err.Error()
			var ve *sig.VerifyError
			if errors.As(err, &ve) {
				detail = ve.Debug()
			}
			return nil, sigErr("signature mismatch for %s: %s, values: CIDS: %s", rustfmt.DebugStr(pid), detail, cidsDebug(pi.cids))
		}
	}
	for _, pid := range slices.Sorted(maps.Keys(cg)) {
		other := cg[pid]
		ours := pg[pid]
		if ours == nil {
			pg[pid] = other
			continue
		}
		larger, smaller := ours, other
		if len(ours.cids) < len(other.cids) {
			larger, smaller = other, ours
			pg[pid] = other
		}
		if !isMultiSubset(larger.cids, smaller.cids) {
			return nil, sigErr("inconsistent CID multisets on merge for peer %s, prev: %s, current: %s", rustfmt.DebugStr(pid), cidsDebug(larger.cids), cidsDebug(smaller.cids))
		}
	}
	out := make(map[string]string, len(pg)+1)
	for _, pi := range pg {
		out[pi.pk] = pi.sig
	}
	return out, nil
}

func isMultiSubset(larger, smaller []string) bool {
	count := make(map[string]int, len(larger))
	for _, c := range larger {
		count[c]++
	}
	for _, c := range smaller {
		count[c]--
		if count[c] < 0 {
			return false
		}
	}
	return true
}

// stringBytes views a string's bytes without copying; the result must not be modified.
func stringBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }
