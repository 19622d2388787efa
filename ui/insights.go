package ui

import (
	"fmt"
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/app/pdf"
	"github.com/rapportjournal/rapport/model"
)

// insightsView is the Insights tab: the picture of the relationships over
// the last twelve months, drawn as charts whose every number lists the
// people behind it, and the self reflection of the feedback asked.
type insightsView struct {
	m      *Main
	box    *fyne.Container
	data   app.Insights
	people *peopleDialog // the list last opened from a number
}

func newInsightsView(m *Main) *insightsView {
	return &insightsView{m: m, box: container.NewVBox(widget.NewLabel("Loading…"))}
}

func (v *insightsView) content() fyne.CanvasObject {
	return container.NewVScroll(container.NewPadded(v.box))
}

func (v *insightsView) refresh() {
	v.m.run(func() func() {
		in, err := v.m.svc.Insights(v.m.ctx, v.m.svc.Now().Local())
		return func() {
			if err != nil {
				v.m.showError(err)
				return
			}
			v.render(in)
		}
	})
}

func (v *insightsView) render(in app.Insights) {
	v.data = in
	print := widget.NewButtonWithIcon("Print…", theme.DocumentPrintIcon(), v.onPrint)
	head := container.NewBorder(nil, nil, nil, print,
		widget.NewLabelWithStyle("The last 12 months", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	setObjects(v.box, []fyne.CanvasObject{head,
		heading("From prospect to customer to client"), v.stages(), v.funnel(),
		heading("Where clients come from"), v.origins(),
		heading("Reliability over time"), v.reliability(),
		heading("Purchases per month"), v.purchases(),
		heading("Self reflection"), v.reflections()})
}

func heading(text string) fyne.CanvasObject {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return container.NewVBox(widget.NewSeparator(), l)
}

// pick lists the people behind a number in a dialog.
func (v *insightsView) pick(title string, p model.Pick) {
	v.m.run(func() func() {
		people, err := v.m.svc.InsightPeople(v.m.ctx, p)
		return func() {
			if err != nil {
				v.m.showError(err)
				return
			}
			v.people = showPeople(v.m, title, people)
		}
	})
}

func (v *insightsView) month(what string, i int) model.Pick {
	return model.Pick{What: what, From: v.data.Months[i].From, To: v.data.Months[i].To}
}

func (v *insightsView) labels() []string {
	out := make([]string, len(v.data.Months))
	for i, m := range v.data.Months {
		out[i] = m.From.Format("Jan ’06")
	}
	return out
}

// stages are the counts by stage now and the conversion rates, each a
// button to the people it counts.
func (v *insightsView) stages() fyne.CanvasObject {
	in := v.data
	box := container.NewHBox()
	for _, st := range model.Stages() {
		st := st
		n := in.Stages[st]
		box.Add(widget.NewButton(app.Plural(n, string(st)), func() {
			v.pick(fmt.Sprintf("%ss now", st), model.Pick{What: model.PickStage, Key: string(st)})
		}))
	}
	box.Add(widget.NewButton(pctText(in.ToCustomerPct)+" became customers", func() {
		v.pick("Customers and clients now", model.Pick{What: model.PickBeyond})
	}))
	box.Add(widget.NewButton(pctText(in.ToClientPct)+" of customers became clients", func() {
		v.pick("Clients now", model.Pick{What: model.PickStage, Key: string(model.StageClient)})
	}))
	return box
}

func pctText(p *int) string {
	if p == nil {
		return "–"
	}
	return fmt.Sprintf("%d %%", *p)
}

// funnel charts, per month, the contacts first met and those who moved to
// customer and to client.
func (v *insightsView) funnel() fyne.CanvasObject {
	in := v.data
	tap := func(what, title string) func(int) {
		return func(i int) { v.pick(title+" in "+in.Months[i].Label(), v.month(what, i)) }
	}
	ss := []series{
		{name: "first met", color: theme.ColorNamePlaceHolder, values: in.New, onTap: tap(model.PickNew, "First met")},
		{name: "became customers", color: theme.ColorNamePrimary, values: in.Customers, onTap: tap(model.PickCustomer, "Became customers")},
		{name: "became clients", color: theme.ColorNameSuccess, values: in.Clients, onTap: tap(model.PickClient, "Became clients")},
	}
	return container.NewVBox(legend(ss...), newColumnChart(v.labels(), nil, ss...))
}

// origins charts how the clients met us and who referred the most.
func (v *insightsView) origins() fyne.CanvasObject {
	in := v.data
	var ways []hbar
	for _, t := range in.HowWeMet {
		key, label := t.Key, t.Key
		if label == "" {
			label = "(not told)"
		}
		ways = append(ways, hbar{label: label, value: t.Count, text: itoa(t.Count), onTap: func() {
			v.pick("Clients who met us: "+label, model.Pick{What: model.PickHowWeMet, Key: key})
		}})
	}
	var refs []hbar
	for _, r := range in.Referrers {
		r := r
		refs = append(refs, hbar{label: r.Name, value: r.Sent, text: fmt.Sprintf("%d sent, %d clients", r.Sent, r.Clients), onTap: func() {
			v.pick("Referred by "+r.Name, model.Pick{What: model.PickReferred, ID: r.ID})
		}})
	}
	left := container.NewVBox(widget.NewLabel("Clients by how we met"), orEmpty(ways, "No clients yet."))
	if in.OtherWays > 0 {
		left.Add(faint(fmt.Sprintf("and %d clients who met us in other ways", in.OtherWays)))
	}
	right := container.NewVBox(widget.NewLabel("Top referrers, to thank"), orEmpty(refs, "Nobody referred anyone yet."))
	return container.NewGridWithColumns(2, left, right)
}

func orEmpty(rows []hbar, empty string) fyne.CanvasObject {
	if len(rows) == 0 {
		return faint(empty)
	}
	return barRows(theme.ColorNamePrimary, rows)
}

// reliability charts the appointments of each month by how they went, the
// share kept on time under the month.
func (v *insightsView) reliability() fyne.CanvasObject {
	in := v.data
	n := len(in.Months)
	onTime, late, noShow, captions := make([]int, n), make([]int, n), make([]int, n), make([]string, n)
	for i, r := range in.Reliability {
		onTime[i], late[i], noShow[i] = r.OnTime, r.Late, r.NoShow
		captions[i] = pctText(r.OnTimePct)
	}
	tap := func(o model.Outcome, title string) func(int) {
		return func(i int) {
			p := v.month(model.PickOutcome, i)
			p.Key = string(o)
			v.pick(title+" in "+in.Months[i].Label(), p)
		}
	}
	ss := []series{
		{name: "on time", color: theme.ColorNameSuccess, values: onTime, onTap: tap(model.OutcomeOnTime, "On time")},
		{name: "late", color: theme.ColorNameWarning, values: late, onTap: tap(model.OutcomeLate, "Late")},
		{name: "no-show", color: theme.ColorNameError, values: noShow, onTap: tap(model.OutcomeNoShow, "No-show")},
	}
	return container.NewVBox(legend(ss...), newColumnChart(v.labels(), captions, ss...),
		faint("Under each month: the share of appointments kept on time."))
}

// purchases charts the purchases of each month, their sum in the currency
// of Settings under the month.
func (v *insightsView) purchases() fyne.CanvasObject {
	in := v.data
	counts, captions := make([]int, len(in.Months)), make([]string, len(in.Months))
	for i, s := range in.Sales {
		counts[i] = s.Count
		captions[i] = v.m.svc.FormatAmount(s.Sum, in.Currency)
	}
	s := series{name: "purchases", color: theme.ColorNamePrimary, values: counts, onTap: func(i int) {
		v.pick("Bought in "+in.Months[i].Label(), v.month(model.PickBought, i))
	}}
	note := "Under each month: the total in " + in.Currency + "."
	if in.OtherCurrencies {
		note += " Purchases in other currencies are counted, not added."
	}
	return container.NewVBox(newColumnChart(v.labels(), captions, s), faint(note))
}

// reflections are the feedback answers, newest first: who, when, what they
// said and what the owner will change.
func (v *insightsView) reflections() fyne.CanvasObject {
	if len(v.data.Reflections) == 0 {
		return faint("No feedback yet. Unreliable contacts are asked from their card or from Today.")
	}
	box := container.NewVBox()
	for _, r := range v.data.Reflections {
		id := r.ContactID
		who := widget.NewButton(r.Name, func() { v.m.showContact(id) })
		who.Importance = widget.LowImportance
		box.Add(container.NewHBox(who, faint(v.m.day(r.At))))
		box.Add(wrapped("They said: " + r.Said))
		change := "I will change: " + r.Change
		if r.Change == "" {
			change = "I will change: (not decided)"
		}
		box.Add(wrapped(change))
	}
	return box
}

// onPrint writes the Insights as a PDF, charts drawn, on the paper of the
// settings.
func (v *insightsView) onPrint() {
	v.m.onPrint("insights", "Open it to print it from the viewer.", func(w io.Writer) (pdf.Report, error) {
		p, err := v.m.svc.PrintSettings(v.m.ctx)
		if err != nil {
			return pdf.Report{}, err
		}
		return v.m.svc.PrintInsights(v.m.ctx, v.m.svc.Now().Local(), p.Paper, w)
	})
}

// peopleDialog lists the people behind a number; choosing one opens their
// card, as choosing in the contact list does.
type peopleDialog struct {
	list *widget.List
	d    dialog.Dialog
}

func showPeople(m *Main, title string, people []model.Person) *peopleDialog {
	p := &peopleDialog{}
	p.list = widget.NewList(func() int { return len(people) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(fmt.Sprintf("%s · %s", people[i].Name, people[i].Stage))
		})
	p.list.OnSelected = func(i widget.ListItemID) {
		p.d.Hide()
		m.showContact(people[i].ID)
	}
	var body fyne.CanvasObject = p.list
	if len(people) == 0 {
		body = faint("Nobody.")
	}
	p.d = dialog.NewCustom(fmt.Sprintf("%s (%d)", title, len(people)), "Close", body, m.win)
	m.keyed(p.d, p.d.Hide, p.d.Hide)
	p.d.Resize(fyne.NewSize(420, 480))
	p.d.Show()
	return p
}
