package redact_test

import (
	"fmt"
	"log/slog"
	"os"

	"github.com/julepkit/julep/redact"
)

func Example() {
	r := redact.New()
	r.Add("api_token", "tok-9f8e7d6c")
	r.AddDerived("Bearer tok-9f8e7d6c")

	fmt.Println(r.Redact("GET /data?key=tok-9f8e7d6c"))
	fmt.Println(r.Redact("Authorization: Bearer tok-9f8e7d6c"))
	fmt.Println(r.Redact("basic dG9rLTlmOGU3ZDZj")) // base64 of the token

	w := r.Writer(os.Stdout)
	fmt.Fprint(w, "streamed: tok-9f")
	fmt.Fprint(w, "8e7d6c\n")
	_ = w.Close()

	log := slog.New(r.Handler(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	})))
	log.Info("calling API", "token", "tok-9f8e7d6c")
	// Output:
	// GET /data?key=[REDACTED:api_token]
	// Authorization: Bearer [REDACTED:api_token]
	// basic [REDACTED:api_token]
	// streamed: [REDACTED:api_token]
	// level=INFO msg="calling API" token=[REDACTED:api_token]
}
