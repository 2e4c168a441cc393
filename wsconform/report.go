package wsconform

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"
)

// SummaryTable is a plain-text table of verdict counts per family.
func SummaryTable(results []Result) string {
	var b strings.Builder
	counts := Counts(results)
	fmt.Fprintf(&b, "%-8s", "family")
	for _, v := range Verdicts {
		fmt.Fprintf(&b, " %14s", v)
	}
	b.WriteString("\n")
	row := func(name string, c map[Verdict]int) {
		fmt.Fprintf(&b, "%-8s", name)
		for _, v := range Verdicts {
			fmt.Fprintf(&b, " %14d", c[v])
		}
		b.WriteString("\n")
	}
	for _, f := range families(results) {
		row(f, counts[f])
	}
	row("total", counts[""])
	return b.String()
}

// WriteReport writes a markdown report: verdict counts per family, the
// cases that are not OK with their detail, then every case.
func WriteReport(w io.Writer, title string, results []Result) error {
	bw := bufio.NewWriter(w)
	counts := Counts(results)
	fmt.Fprintf(bw, "# %s\n\n", title)
	fmt.Fprintf(bw, "%d cases.\n\n| family |", len(results))
	for _, v := range Verdicts {
		fmt.Fprintf(bw, " %s |", v)
	}
	bw.WriteString("\n|---|")
	for range Verdicts {
		bw.WriteString("---:|")
	}
	bw.WriteString("\n")
	for _, f := range append(families(results), "") {
		name := f
		if f == "" {
			name = "**total**"
		}
		fmt.Fprintf(bw, "| %s |", name)
		for _, v := range Verdicts {
			fmt.Fprintf(bw, " %d |", counts[f][v])
		}
		bw.WriteString("\n")
	}
	bw.WriteString("\n## Cases not OK\n\n")
	n := 0
	for _, r := range results {
		if r.Verdict != OK {
			n++
			fmt.Fprintf(bw, "- **%s** %s — %s: %s\n", r.ID, r.Verdict, md(r.Description), md(r.Detail))
		}
	}
	if n == 0 {
		bw.WriteString("None.\n")
	}
	bw.WriteString("\n## All cases\n\n| case | verdict | time | description | detail |\n|---|---|---:|---|---|\n")
	for _, r := range results {
		fmt.Fprintf(bw, "| %s | %s | %s | %s | %s |\n", r.ID, r.Verdict, r.Duration.Round(time.Millisecond/10), md(r.Description), md(r.Detail))
	}
	return bw.Flush()
}

func md(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ").Replace(s)
}
