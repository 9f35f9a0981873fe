package main

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/cascadep2p/cascade/air"
	"github.com/cascadep2p/cascade/air/value"
)

func init() {
	subcommands["invoke"] = subcommand{
		summary: "run interpreter invocations given as JSON lines on stdin (one answer line each)",
		run:     invokeMain,
	}
}

const invokeUsage = `usage: cascade invoke < REQUESTS

Reads one JSON request per line from standard input and writes one JSON answer per line
to standard output, so that another program (a test driver, a debugger) can run Cascade's
interpreter step by step. A request:
  {"script": "...", "prev_data": "<base64>", "data": "<base64>",
   "params": {"init_peer_id": "...", "current_peer_id": "...", "timestamp": 0, "ttl": 0,
              "key_format": 0, "secret_key": "<base64 32-byte seed>", "particle_id": "...",
              "air_size_limit": 0, "particle_size_limit": 0, "call_result_size_limit": 0,
              "hard_limit_enabled": false},
   "call_results": [[ID, {"ret_code": 0, "result": "<JSON text>"}], ...]}
(limits of 0 mean AquaVM's defaults). An answer:
  {"ret_code": 0, "error_message": "", "data": "<base64>", "next_peer_pks": [...],
   "call_requests": [[ID, {"service_id": "...", "function_name": "...",
                           "arguments": [...], "tetraplets": [[{...}]]}], ...]}
A line that is not a valid request gets {"error": "..."}.
`

// maxInvokeLine bounds one request line (scripts and data are limited far below it).
const maxInvokeLine = 256 << 20

type invokeRequest struct {
	Script   string `json:"script"`
	PrevData []byte `json:"prev_data"`
	Data     []byte `json:"data"`
	Params   struct {
		InitPeerID          string `json:"init_peer_id"`
		CurrentPeerID       string `json:"current_peer_id"`
		Timestamp           uint64 `json:"timestamp"`
		TTL                 uint32 `json:"ttl"`
		KeyFormat           uint8  `json:"key_format"`
		SecretKey           []byte `json:"secret_key"`
		ParticleID          string `json:"particle_id"`
		AirSizeLimit        uint64 `json:"air_size_limit"`
		ParticleSizeLimit   uint64 `json:"particle_size_limit"`
		CallResultSizeLimit uint64 `json:"call_result_size_limit"`
		HardLimitEnabled    bool   `json:"hard_limit_enabled"`
	} `json:"params"`
	CallResults []json.RawMessage `json:"call_results"`
}

func parseCallResults(raw []json.RawMessage) (air.CallResults, error) {
	cr := air.CallResults{}
	for _, item := range raw {
		var pair []json.RawMessage
		if err := json.Unmarshal(item, &pair); err != nil || len(pair) != 2 {
			return nil, fmt.Errorf("call_results: each entry must be [id, {ret_code, result}]")
		}
		var id uint32
		if err := json.Unmarshal(pair[0], &id); err != nil {
			var s string
			if json.Unmarshal(pair[0], &s) != nil {
				return nil, fmt.Errorf("call_results: bad id %s", pair[0])
			}
			if _, err := fmt.Sscan(s, &id); err != nil {
				return nil, fmt.Errorf("call_results: bad id %q", s)
			}
		}
		var r struct {
			RetCode int32  `json:"ret_code"`
			Result  string `json:"result"`
		}
		if err := json.Unmarshal(pair[1], &r); err != nil {
			return nil, fmt.Errorf("call_results: %v", err)
		}
		cr[id] = air.CallResult{RetCode: r.RetCode, Result: r.Result}
	}
	return cr, nil
}

func invokeOne(line []byte) any {
	var req invokeRequest
	if err := json.Unmarshal(line, &req); err != nil {
		return map[string]string{"error": "bad request: " + err.Error()}
	}
	cr, err := parseCallResults(req.CallResults)
	if err != nil {
		return map[string]string{"error": err.Error()}
	}
	p := air.DefaultRunParameters()
	rp := req.Params
	p.InitPeerID, p.CurrentPeerID, p.ParticleID = rp.InitPeerID, rp.CurrentPeerID, rp.ParticleID
	p.Timestamp, p.TTL, p.KeyFormat, p.SecretKey = rp.Timestamp, rp.TTL, rp.KeyFormat, rp.SecretKey
	p.HardLimitEnabled = rp.HardLimitEnabled
	if rp.AirSizeLimit != 0 {
		p.AirSizeLimit = rp.AirSizeLimit
	}
	if rp.ParticleSizeLimit != 0 {
		p.ParticleSizeLimit = rp.ParticleSizeLimit
	}
	if rp.CallResultSizeLimit != 0 {
		p.CallResultSizeLimit = rp.CallResultSizeLimit
	}
	o := air.Invoke(req.Script, req.PrevData, req.Data, p, cr)
	requests := make([]any, 0, len(o.CallRequests))
	for _, r := range o.CallRequests {
		args := make([]any, len(r.Arguments))
		for i, a := range r.Arguments {
			args[i] = json.RawMessage(value.Marshal(a))
		}
		requests = append(requests, []any{r.ID, map[string]any{
			"service_id": r.ServiceID, "function_name": r.FunctionName,
			"arguments": args, "tetraplets": r.Tetraplets,
		}})
	}
	next := o.NextPeerPKs
	if next == nil {
		next = []string{}
	}
	return map[string]any{
		"ret_code":      o.RetCode,
		"error_message": o.ErrorMessage,
		"data":          base64.StdEncoding.EncodeToString(o.Data),
		"next_peer_pks": next,
		"call_requests": requests,
	}
}

func invokeMain(args []string) int {
	if len(args) > 0 {
		if args[0] == "-h" || args[0] == "--help" {
			fmt.Print(invokeUsage)
			return 0
		}
		fmt.Fprint(os.Stderr, invokeUsage)
		return 2
	}
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	out := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(out)
	for {
		line, err := readLine(in, maxInvokeLine)
		if len(line) > 0 {
			if eerr := enc.Encode(invokeOne(line)); eerr != nil {
				fmt.Fprintln(os.Stderr, "cascade invoke:", eerr)
				return 1
			}
			if ferr := out.Flush(); ferr != nil {
				return 1
			}
		}
		if err == io.EOF {
			return 0
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "cascade invoke:", err)
			return 1
		}
	}
}

// readLine reads one newline-terminated line of at most max bytes.
func readLine(r *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for {
		chunk, isPrefix, err := r.ReadLine()
		line = append(line, chunk...)
		if len(line) > max {
			return nil, fmt.Errorf("request line longer than %d bytes", max)
		}
		if err != nil || !isPrefix {
			return line, err
		}
	}
}
