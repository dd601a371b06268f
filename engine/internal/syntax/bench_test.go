package syntax

import "testing"

var benchExprs = []struct{ name, src string }{
	{"name", `_`},
	{"subscript", `steps[0].input['from']`},
	{"call", `extract_json(_)['subject']`},
	{"comprehension", `'\n'.join([snippet.content for doc in _.docs for snippet in doc.snippets if snippet.score > 0.5])`},
	{"dict", `{"subject": _.subject, "body": _.body, "to": inputs[0].email, "cc": [a.email for a in _.cc], "n": len(_.cc) + 1}`},
	{"fstring", `f'''You are { agent.name }. { agent.about }

A user with email address { _['from'] } has sent the following inquiry:
------
  Subject: { _.subject }

  { _.body }
------

Can you generate a query to search the documentation based on this email?
Reply with {len(_.body):>5} characters at most, and {", ".join(x["id"] for x in _.refs)!r}.'''`},
	{"arith", `(a + b * c - d / e) ** 2 // 3 % 7 if x < y <= z and not w else -1`},
}

func BenchmarkParse(b *testing.B) {
	for _, bc := range benchExprs {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.src)))
			for b.Loop() {
				if _, err := Parse(bc.src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkParseFStringBody(b *testing.B) {
	src := `Hello {user.name}, your order {order["id"]} of {order.total:.2f} USD ships on {order.date}.`
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseFStringBody(src); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCorpus(b *testing.B) {
	recs := loadCorpus(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, r := range recs {
			parseCorpusRecord(r)
		}
	}
}
