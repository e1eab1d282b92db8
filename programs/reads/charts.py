"""Chart geometry for the insights, overview, organization and partnership pages, drawn as inline SVG by the templates.

Pure functions: they take (label, value, link) rows (a timeline: label, years, link) and return what the SVG
needs (coordinates in a viewBox, which CSS scales to the page width). No JavaScript and no external service.
"""

import math
from dataclasses import dataclass, field


@dataclass
class Bar:
    label: str
    value: int
    url: str
    x: float
    y: float
    width: float
    height: float
    css: str = ""
    tick: str = ""  # the label under a column, when there is room for it

    @property
    def end(self) -> float:
        return self.x + self.width

    @property
    def centre(self) -> float:
        return self.x + self.width / 2


@dataclass
class BarChart:
    width: int
    height: int
    label_width: int
    bars: list[Bar]
    ticks: list[tuple[float, int]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.bars


def _nice_max(value: int) -> int:
    """The smallest 1/2/5 x 10^n at or above `value` (at least 1), for round axis ticks."""
    if value <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover


def hbar_chart(rows, *, width=440, label_width=160, bar_height=22, gap=8) -> BarChart:
    """Horizontal bars, one per (label, value, url[, css]) row, labels on the left."""
    rows = list(rows)
    top = _nice_max(max((row[1] for row in rows), default=0))
    plot = width - label_width - 48
    bars = []
    for index, row in enumerate(rows):
        label, value, url = row[:3]
        bars.append(
            Bar(
                label=str(label),
                value=value,
                url=url,
                x=label_width,
                y=index * (bar_height + gap),
                width=max(plot * value / top, 1 if value else 0),
                height=bar_height,
                css=row[3] if len(row) > 3 else "",
            )
        )
    height = max(len(rows) * (bar_height + gap) - gap, 0)
    return BarChart(width=width, height=height, label_width=label_width, bars=bars)


def column_chart(rows, *, width=560, height=220, bottom=28, left=36) -> BarChart:
    """Vertical columns, one per (label, value, url) row in order, with a value axis on the left."""
    rows = list(rows)
    top = _nice_max(max((row[1] for row in rows), default=0))
    plot_height = height - bottom - 8
    slot = (width - left) / max(len(rows), 1)
    bars = []
    for index, (label, value, url) in enumerate(rows):
        bar_height = plot_height * value / top
        bars.append(
            Bar(
                label=str(label),
                value=value,
                url=url,
                x=left + index * slot + slot * 0.15,
                y=8 + plot_height - bar_height,
                width=slot * 0.7,
                height=bar_height,
            )
        )
    step = max(1, _nice_max(math.ceil(top / 5)))
    ticks = [(8 + plot_height - plot_height * value / top, value) for value in range(0, top + 1, step)]
    # Label every column while they fit, otherwise every n-th one.
    every = max(1, math.ceil(len(rows) * 34 / (width - left)))
    for index, bar in enumerate(bars):
        if index % every == 0:
            bar.tick = bar.label
    return BarChart(width=width, height=height, label_width=left, bars=bars, ticks=ticks)


@dataclass
class Node:
    label: str
    url: str
    css: str
    x: float
    y: float
    r: float
    label_x: float
    label_y: float
    anchor: str
    degree: int


@dataclass
class Edge:
    source: Node
    target: Node
    weight: int
    stroke: float
    url: str = ""  # the page of the pair, when there is one


@dataclass
class Network:
    width: int
    height: int
    nodes: list[Node]
    edges: list[Edge]

    @property
    def empty(self) -> bool:
        return not self.edges


def circle_network(nodes, edges, *, width=640, margin=150, top=36) -> Network:
    """Organizations on a circle, linked by a line as thick as the programmes they share.

    `nodes`: (key, label, url, css, weight) rows; `edges`: (key, key, shared[, url]) rows.
    A circle is deterministic, needs no physics and keeps every label readable.
    """
    circle = Circle(centre=width / 2, middle=width / 2 - margin + top, radius=width / 2 - margin)
    placed = circle.place(list(nodes))
    return Network(
        width=width, height=round(2 * circle.middle), nodes=list(placed.values()), edges=_edges_between(placed, edges)
    )


@dataclass(frozen=True)
class Circle:
    """Where a network's nodes go: on a circle of `radius` around (`centre`, `middle`)."""

    centre: float
    middle: float
    radius: float

    def place(self, nodes) -> dict:
        """{key: Node} for (key, label, url, css, weight) rows, clockwise from the top, each as
        large as its weight against the heaviest's."""
        heaviest = max((node[4] for node in nodes), default=1) or 1
        return {
            key: self.node(2 * math.pi * index / max(len(nodes), 1) - math.pi / 2, label, url, css, weight / heaviest)
            for index, (key, label, url, css, weight) in enumerate(nodes)
        }

    def node(self, angle: float, label, url: str, css: str, share: float) -> Node:
        """A node at `angle` on the circle, its label outside it, anchored on the side it stands."""
        cos, sin = math.cos(angle), math.sin(angle)
        r = 4 + 8 * math.sqrt(share)
        return Node(
            label=str(label),
            url=url,
            css=css,
            x=round(self.centre + self.radius * cos, 1),
            y=round(self.middle + self.radius * sin, 1),
            r=round(r, 1),
            label_x=round(self.centre + (self.radius + r + 6) * cos, 1),
            label_y=round(self.middle + (self.radius + r + 6) * sin + 4, 1),
            anchor="start" if cos > 0.2 else ("end" if cos < -0.2 else "middle"),
            degree=0,
        )


def _edges_between(placed: dict, edges) -> list[Edge]:
    """The edges between placed nodes, each as thick as its share of the strongest; counts each
    node's degree."""
    strongest = max((edge[2] for edge in edges), default=1) or 1
    drawn = []
    for source, target, shared, *url in edges:
        if source in placed and target in placed:
            placed[source].degree += 1
            placed[target].degree += 1
            stroke = round(1 + 5 * shared / strongest, 1)
            drawn.append(Edge(placed[source], placed[target], shared, stroke, *url))
    return drawn


@dataclass
class Span:
    label: str
    url: str
    start: int
    end: int
    ongoing: bool  # no end year: drawn up to `now`
    x: float
    y: float
    width: float
    height: float


@dataclass
class Timeline:
    width: int
    height: int
    label_width: int
    spans: list[Span]
    ticks: list[tuple[float, int]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.spans


def timeline_chart(rows, *, now: int, width=640, label_width=200, row_height=16, gap=6, top=22) -> Timeline:
    """A bar per (label, start year, end year or None, url) row, from its start to its end year (or
    to `now` while it runs), on a shared axis of years. Rows without a start year are left out."""
    rows = [row for row in rows if row[1] is not None]
    if not rows:
        return Timeline(width=width, height=0, label_width=label_width, spans=[])
    axis = YearAxis(
        first=min(row[1] for row in rows),
        last=max(max(row[2] or now, row[1]) for row in rows),
        left=label_width,
        width=width - label_width - 12,
    )
    spans = []
    for index, (label, start, end, url) in enumerate(rows):
        finish = max(end or now, start)
        spans.append(
            Span(
                label=str(label),
                url=url,
                start=start,
                end=finish,
                ongoing=end is None,
                x=axis.x(start),
                y=top + index * (row_height + gap),
                width=round(max((finish - start + 1) * axis.per_year, 2), 1),
                height=row_height,
            )
        )
    height = top + len(rows) * (row_height + gap)
    return Timeline(width=width, height=height, label_width=label_width, spans=spans, ticks=axis.ticks())


@dataclass(frozen=True)
class YearAxis:
    """The years `first` to `last`, each as wide a share of `width` pixels starting at `left`."""

    first: int
    last: int
    left: float
    width: float

    @property
    def per_year(self) -> float:
        return self.width / (self.last - self.first + 1)

    def x(self, year: int) -> float:
        """Where `year` starts."""
        return round(self.left + (year - self.first) * self.per_year, 1)

    def ticks(self) -> list[tuple[float, int]]:
        """(x, year) every round number of years, about eight of them."""
        step = _nice_max(math.ceil((self.last - self.first + 1) / 8))
        return [(self.x(year), year) for year in range(self.first, self.last + 1) if (year - self.first) % step == 0]
