package difftest

import (
	"encoding/json"
	"testing"
)

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestNormalizeMessage(t *testing.T) {
	a := "after finishing execution of supplied AIR, there are some unprocessed call results: `{\"4\": CallServiceResult { ret_code: 0, result: \"null\" }, \"3\": CallServiceResult { ret_code: 0, result: \"\\\"1 }2\\\"\" }}`, probably a wrong call_id used"
	b := "after finishing execution of supplied AIR, there are some unprocessed call results: `{\"3\": CallServiceResult { ret_code: 0, result: \"\\\"1 }2\\\"\" }, \"4\": CallServiceResult { ret_code: 0, result: \"null\" }}`, probably a wrong call_id used"
	if NormalizeMessage(a) != NormalizeMessage(b) || NormalizeMessage(b) != b {
		t.Errorf("not normalized:\n%s\n%s", NormalizeMessage(a), NormalizeMessage(b))
	}
	o, err := ParseOutcome([]byte(`{"invocations": [{"ret_code": 30000, "error_message": ` + quote(a) + `}]}`))
	if err != nil || !o.HasUnorderedMessage() {
		t.Errorf("unordered message not recognized (%v)", err)
	}
	if (&Outcome{}).HasUnorderedMessage() {
		t.Error("empty outcome has an unordered message")
	}
	if ErrorPosition("x\n  ┌─ script.air:12:5\n  ┌─ script.air:1:1") != "12:5" || ErrorPosition("no") != "" {
		t.Error("ErrorPosition")
	}
}

func TestDiffKind(t *testing.T) {
	for diff, want := range map[string]string{
		`$.invocations[18].error_message: expected "a" got "b"`:     "invocations.error_message",
		`$.invocations[2].trace[3].call.executed: expected 1 got 2`: "invocations.trace",
		`$.final_data.node-1: expected 1 got 2`:                     "final_data.node-1",
		`$.truncated: expected true got false`:                      "truncated",
		`error position: expected script.air:1:2 got "" in "x"`:     "error position",
		`exited with 1: boom`:                                       "exited with 1",
	} {
		if got := DiffKind(diff); got != want {
			t.Errorf("DiffKind(%q) = %q, want %q", diff, got, want)
		}
	}
}
