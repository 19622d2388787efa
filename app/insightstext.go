package app

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteInsightsText writes the Insights as plain text for the command
// line: the same numbers as the charts, month by month. Stored text is
// written with its control characters shown as U+FFFD, as everywhere on
// the terminal.
func (s *Service) WriteInsightsText(w io.Writer, in Insights) error {
	var b strings.Builder
	b.WriteString("Prospects → customers → clients\n  " + stagesLine(in) + "\n\n")
	t := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(t, "month\tfirst met\tto customer\tto client\ton time\tlate\tno-show\t% on time\tpurchases\t"+in.Currency+"\t")
	for i, m := range in.Months {
		r, sale := in.Reliability[i], in.Sales[i]
		fmt.Fprintf(t, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%d\t%s\t\n", m.Label(), in.New[i], in.Customers[i], in.Clients[i],
			r.OnTime, r.Late, r.NoShow, pctOrDash(r.OnTimePct), sale.Count, s.FormatAmount(sale.Sum, in.Currency))
	}
	if err := t.Flush(); err != nil {
		return fmt.Errorf("insights: %w", err)
	}
	b.WriteString("  " + salesNote(in) + "\n\nClients by how we met\n")
	for _, x := range in.HowWeMet {
		fmt.Fprintf(&b, "  %5d  %s\n", x.Count, Printable(orNotTold(x.Key)))
	}
	if in.OtherWays > 0 {
		fmt.Fprintf(&b, "  %5d  other ways\n", in.OtherWays)
	}
	b.WriteString("\nTop referrers, to thank\n")
	for _, r := range in.Referrers {
		fmt.Fprintf(&b, "  %5d sent, %d clients  %s\n", r.Sent, r.Clients, Printable(r.Name))
	}
	b.WriteString("\nSelf reflection\n")
	for _, r := range in.Reflections {
		fmt.Fprintf(&b, "  %s, %s\n    They said: %s\n    I will change: %s\n", Printable(r.Name), r.At.Local().Format(time.DateOnly), Printable(r.Said), Printable(orUndecided(r.Change)))
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("insights: %w", err)
	}
	return nil
}

func orNotTold(way string) string {
	if way == "" {
		return "(not told)"
	}
	return way
}
