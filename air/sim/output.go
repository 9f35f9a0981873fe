package sim

import (
	"encoding/base64"
	"io"
	"sort"

	"github.com/cascadep2p/cascade/air/data"
	"github.com/cascadep2p/cascade/air/sim/jsjson"
)

// ToJS builds the oracle's output object for the result, field for field.
func (r *Result) ToJS() *jsjson.Object {
	o := jsjson.NewObject()
	oracle := jsjson.NewObject()
	keys := make([]string, 0, len(r.Oracle))
	for k := range r.Oracle {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		oracle.Set(k, r.Oracle[k])
	}
	o.Set("oracle", oracle)
	ids := jsjson.NewObject()
	for _, p := range r.Peers {
		ids.Set(p.Name, p.PeerID)
	}
	o.Set("peer_ids", ids)
	o.Set("init_peer", r.InitPeer)
	o.Set("script_resolved", r.ScriptResolved)
	particle := jsjson.NewObject()
	particle.Set("id", r.Particle.ID)
	particle.Set("timestamp", float64(r.Particle.Timestamp))
	particle.Set("ttl", float64(r.Particle.TTL))
	o.Set("particle", particle)
	invs := make([]any, len(r.Invocations))
	for i := range r.Invocations {
		invs[i] = r.Invocations[i].ToJS()
	}
	o.Set("invocations", invs)
	und := make([]any, len(r.Undelivered))
	for i, u := range r.Undelivered {
		x := jsjson.NewObject()
		x.Set("from_invocation", float64(u.FromInvocation))
		x.Set("peer_pk", u.PeerPK)
		und[i] = x
	}
	o.Set("undelivered", und)
	o.Set("truncated", r.Truncated)
	ft, fd := jsjson.NewObject(), jsjson.NewObject()
	for _, p := range r.Peers {
		ft.Set(p.Name, r.FinalTrace[p.Name])
		fd.Set(p.Name, r.FinalData[p.Name])
	}
	o.Set("final_trace", ft)
	o.Set("final_data", fd)
	return o
}

// ToJS builds the oracle's record of one invocation.
func (inv *Invocation) ToJS() *jsjson.Object {
	o := jsjson.NewObject()
	o.Set("index", float64(inv.Index))
	o.Set("peer", inv.Peer)
	in := jsjson.NewObject()
	in.Set("kind", inv.Input.Kind)
	if inv.Input.Kind == "call_results" {
		crs := make([]any, len(inv.Input.CallResults))
		for i, c := range inv.Input.CallResults {
			x := jsjson.NewObject()
			x.Set("id", float64(c.ID))
			x.Set("ret_code", float64(c.RetCode))
			x.Set("result", c.Result)
			crs[i] = x
		}
		in.Set("call_results", crs)
	} else if inv.Input.From == nil {
		in.Set("from", nil)
	} else {
		in.Set("from", *inv.Input.From)
	}
	o.Set("input", in)
	o.Set("ret_code", float64(inv.RetCode))
	o.Set("error_message", inv.ErrorMessage)
	pks := make([]any, len(inv.NextPeerPKs))
	for i, pk := range inv.NextPeerPKs {
		pks[i] = pk
	}
	o.Set("next_peer_pks", pks)
	names := make([]any, len(inv.NextPeers))
	for i, n := range inv.NextPeers {
		if n != nil {
			names[i] = *n
		}
	}
	o.Set("next_peers", names)
	reqs := make([]any, len(inv.CallRequests))
	for i, r := range inv.CallRequests {
		x := jsjson.NewObject()
		x.Set("id", float64(r.ID))
		x.Set("service", r.Service)
		x.Set("function", r.Function)
		args := r.Args
		if args == nil {
			args = []any{}
		}
		x.Set("args", args)
		x.Set("tetraplets", TetrapletsToJS(r.Tetraplets))
		reqs[i] = x
	}
	o.Set("call_requests", reqs)
	o.Set("trace", inv.Trace)
	o.Set("data", inv.Data)
	o.Set("data_b64", base64.StdEncoding.EncodeToString(inv.RawData))
	return o
}

// TetrapletsToJS prints call request tetraplets as the JS client decodes them: per
// argument, a list of {peer_pk, service_id, function_name, lens} objects.
func TetrapletsToJS(ts [][]data.Tetraplet) []any {
	out := make([]any, len(ts))
	for i, arg := range ts {
		l := make([]any, len(arg))
		for j, t := range arg {
			x := jsjson.NewObject()
			x.Set("peer_pk", t.PeerPK)
			x.Set("service_id", t.ServiceID)
			x.Set("function_name", t.FunctionName)
			x.Set("lens", t.Lens)
			l[j] = x
		}
		out[i] = l
	}
	return out
}

// JSON prints the result as the oracle does: JSON.stringify(result, null, 2) and a newline.
func (r *Result) JSON() []byte {
	return []byte(jsjson.Indent(r.ToJS(), "  ") + "\n")
}

// WriteJSON writes r.JSON() to w.
func (r *Result) WriteJSON(w io.Writer) error {
	_, err := w.Write(r.JSON())
	return err
}
