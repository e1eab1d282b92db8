"""A large, realistic synthetic data set for benchmarks (`manage.py seed_synthetic`).

For N programmes: about N/3 organizations, N people, 2N participations (a few sponsors with
thousands of programmes, as in real data), N affiliations (a third of the people also with an
earlier post, in the other sector: career moves), N involvements, N/5 editions, N/10 projects
with two members each, every programme in one to three research areas, a few hundred sources,
and a citation on every record and link. Names are Chinese with English counterparts; one record
in a hundred is a draft.

Rows are written in chunks through programs.models.bulk, so memory stays bounded whatever N is; only
the ids of organizations, programmes and people are kept between chunks. No history is recorded.
The same seed gives the same data: every choice is drawn from generators seeded with it.

Records are stamped as a registry grows: each kind's chunks are created (and last changed) at
moments spread evenly from FIRST_RECORDED to now, so that the records changed in the last month
are a small share of them, as a mirror syncing its changes finds.
"""

import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from faker import Faker

from programs import models
from programs.models.bulk import insert_instances
from programs.reads import read_model

CHUNK = 5000

CITIES = [
    ("北京", "Beijing"),
    ("上海", "Shanghai"),
    ("广州", "Guangzhou"),
    ("深圳", "Shenzhen"),
    ("杭州", "Hangzhou"),
    ("南京", "Nanjing"),
    ("武汉", "Wuhan"),
    ("成都", "Chengdu"),
    ("西安", "Xi'an"),
    ("天津", "Tianjin"),
    ("重庆", "Chongqing"),
    ("苏州", "Suzhou"),
    ("长沙", "Changsha"),
    ("合肥", "Hefei"),
    ("济南", "Jinan"),
    ("青岛", "Qingdao"),
    ("大连", "Dalian"),
    ("厦门", "Xiamen"),
    ("沈阳", "Shenyang"),
    ("哈尔滨", "Harbin"),
    ("郑州", "Zhengzhou"),
    ("福州", "Fuzhou"),
    ("昆明", "Kunming"),
    ("兰州", "Lanzhou"),
    ("南昌", "Nanchang"),
    ("香港", "Hong Kong"),
    ("澳门", "Macau"),
    ("宁波", "Ningbo"),
    ("无锡", "Wuxi"),
    ("珠海", "Zhuhai"),
]
REGIONS = [
    ("", ""),
    ("东方", "Eastern "),
    ("华南", "South China "),
    ("西北", "Northwest "),
    ("中山", "Zhongshan "),
    ("长江", "Yangtze "),
    ("华东", "East China "),
    ("北方", "Northern "),
    ("滨海", "Coastal "),
    ("江南", "Jiangnan "),
]
UNIVERSITY_TYPES = [
    ("大学", "{} University"),
    ("理工大学", "{} University of Technology"),
    ("师范大学", "{} Normal University"),
    ("科技大学", "{} University of Science and Technology"),
    ("工业大学", "{} Polytechnic University"),
    ("交通大学", "{} Jiaotong University"),
    ("医科大学", "{} Medical University"),
]
TOPICS = [
    ("人工智能", "Artificial Intelligence"),
    ("计算机视觉", "Computer Vision"),
    ("自然语言处理", "Natural Language Processing"),
    ("自动驾驶", "Autonomous Driving"),
    ("量子计算", "Quantum Computing"),
    ("机器人", "Robotics"),
    ("云计算", "Cloud Computing"),
    ("大数据", "Big Data"),
    ("芯片设计", "Chip Design"),
    ("数字医学", "Digital Medicine"),
    ("新能源", "New Energy"),
    ("智能制造", "Intelligent Manufacturing"),
    ("网络安全", "Cyber Security"),
    ("区块链", "Blockchain"),
    ("生物信息", "Bioinformatics"),
    ("材料科学", "Materials Science"),
    ("具身智能", "Embodied Intelligence"),
    ("语音识别", "Speech Recognition"),
    ("推荐系统", "Recommender Systems"),
    ("金融科技", "Fintech"),
    ("智慧城市", "Smart Cities"),
    ("无线通信", "Wireless Communication"),
    ("基础模型", "Foundation Models"),
    ("隐私计算", "Privacy Computing"),
    ("遥感", "Remote Sensing"),
]
KIND_WORDS = {
    models.ProgramKind.JOINT_LAB: ("联合实验室", "Joint Lab for {}", 35),
    models.ProgramKind.RESEARCH_FUND: ("科研基金", "{} Research Fund", 20),
    models.ProgramKind.AWARD: ("科技奖", "{} Science Award", 8),
    models.ProgramKind.SCHOLARSHIP: ("奖学金", "{} Scholarship", 8),
    models.ProgramKind.POSTDOC_STATION: ("博士后工作站", "{} Postdoctoral Workstation", 4),
    models.ProgramKind.INTERNSHIP: ("研究型实习生计划", "{} Research Intern Programme", 5),
    models.ProgramKind.TALENT_PROGRAM: ("人才计划", "{} Talent Programme", 5),
    models.ProgramKind.TRAINING_BASE: ("联合培养基地", "{} Joint Training Base", 5),
    models.ProgramKind.ALLIANCE: ("创新联盟", "{} Innovation Alliance", 3),
    models.ProgramKind.COMPETITION: ("挑战赛", "{} Challenge", 3),
    models.ProgramKind.OPEN_PLATFORM: ("开放平台", "{} Open Platform", 3),
    models.ProgramKind.OTHER: ("合作计划", "{} Partnership", 1),
}
TITLES = [
    ("教授", "Professor"),
    ("副教授", "Associate Professor"),
    ("研究员", "Research Fellow"),
    ("首席科学家", "Chief Scientist"),
    ("高级工程师", "Senior Engineer"),
    ("助理教授", "Assistant Professor"),
]
# Sources appear over the five years before this day (a fixed day: the same seed, the same data).
LAST_PUBLISHED = datetime.date(2025, 12, 31)
FIRST_RECORDED = datetime.datetime(2018, 1, 1, tzinfo=datetime.UTC)
COUNTRIES = ["CN"] * 85 + ["US"] * 5 + ["HK"] * 3 + ["SG", "GB", "DE", "JP", "CA", "CH", "AU"]


def skewed(items: list, rng: random.Random, power: float = 3.0):
    """An item drawn with a heavy head: the first few are picked far more often than the rest."""
    return items[int(len(items) * rng.random() ** power)]


@dataclass
class Report:
    """Rows written per model, and the time it took."""

    started: float = field(default_factory=time.monotonic)
    rows: dict[str, int] = field(default_factory=dict)

    def add(self, model, count: int):
        name = str(model._meta.verbose_name_plural)
        self.rows[name] = self.rows.get(name, 0) + count

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started


class SyntheticData:
    """Writes the data set: `SyntheticData(n, seed).build()` returns what it wrote, in how long."""

    def __init__(self, programs: int, seed: int = 1, progress: Callable[[str], None] = lambda line: None):
        self.n = programs
        self.rng = random.Random(seed)
        self.dates = random.Random(f"{seed}:dates")  # apart, so that dates leave the other draws as they are
        self.zh = Faker("zh_CN")
        self.en = Faker("en_US")
        self.zh.seed_instance(seed)
        self.en.seed_instance(seed)
        self.progress = progress
        self.report = Report()
        self.started = timezone.now()
        self.clock = FIRST_RECORDED  # the moment the rows written next are stamped with
        self.content_types = {
            model: ContentType.objects.get_for_model(model).pk
            for model in (
                models.Organization,
                models.Program,
                models.Person,
                models.Edition,
                models.Project,
                models.Participation,
                models.Affiliation,
                models.Involvement,
                models.ResearchArea,
            )
        }

    def status(self):
        return models.Status.DRAFT if self.rng.random() < 0.01 else models.Status.PUBLISHED

    def at(self, done: int, count: int):
        """Stamp the rows written next, up to the `done`th of `count`, `done / count` of the way
        from FIRST_RECORDED to now."""
        self.clock = FIRST_RECORDED + (self.started - FIRST_RECORDED) * (done / count)

    def write(self, model, instances):
        insert_instances(model, instances, now=self.clock)
        self.report.add(model, len(instances))

    def cite(self, records):
        """A citation of a random source on each record, with a quote naming it when it has a name."""
        citations = [
            models.Citation(
                source_id=self.rng.choice(self.sources),
                content_type_id=self.content_types[type(record)],
                object_id=record.pk,
                quote=f"{getattr(record, 'name', None) or getattr(record, 'title', None) or '合作'}见于报道。",
            )
            for record in records
        ]
        self.write(models.Citation, citations)

    def build(self) -> Report:
        with read_model.bulk_load():
            self.build_sources_and_areas()
            self.build_organizations()
            self.build_programs()
            self.build_people()
            self.build_projects()
        return self.report

    def build_sources_and_areas(self):
        sources = [
            models.Source(
                slug=f"syn-source-{i}",
                title=f"{self.zh.catch_phrase()}：{self.rng.choice(TOPICS)[0]}报道",
                title_en=f"Report {i}",
                publisher=self.zh.company(),
                published_on=LAST_PUBLISHED - datetime.timedelta(days=self.dates.randrange(5 * 365)),
                language=models.SourceLanguage.ZH_HANS,
                status=models.Status.PUBLISHED,
            )
            for i in range(max(5, min(500, self.n // 200)))
        ]
        self.write(models.Source, sources)
        self.sources = [source.pk for source in sources]
        areas = [
            models.ResearchArea(slug=f"syn-area-{i}", name=zh, name_en=en, status=models.Status.PUBLISHED)
            for i, (zh, en) in enumerate(TOPICS)
        ]
        self.write(models.ResearchArea, areas)
        self.cite(areas)
        self.areas = [area.pk for area in areas]

    def organization_names(self, kind, city: str, city_en: str) -> tuple[str, str, str]:
        """Name, English name and short name of an organization of `kind` in a city."""
        if kind == models.OrganizationKind.UNIVERSITY:
            region, region_en = self.rng.choice(REGIONS)
            suffix, pattern = self.rng.choice(UNIVERSITY_TYPES)
            return f"{region}{city}{suffix}", pattern.format(f"{region_en}{city_en}"), f"{city}{suffix[:1]}大"
        if kind == models.OrganizationKind.COMPANY:
            name = self.zh.company()
            return name, self.en.company(), name.removesuffix("有限公司")[:4]
        if kind == models.OrganizationKind.RESEARCH_INSTITUTE:
            topic, topic_en = self.rng.choice(TOPICS)
            return f"{city}{topic}研究院", f"{city_en} Institute of {topic_en}", f"{city}{topic[:2]}院"
        return f"{city}市科学技术局", f"{city_en} Municipal Science and Technology Bureau", f"{city}科技局"

    def organization(self, i: int, kind):
        city, city_en = self.rng.choice(CITIES)
        name, name_en, short = self.organization_names(kind, city, city_en)
        return models.Organization(
            slug=f"syn-org-{i}",
            name=name,
            name_en=name_en,
            short_name=short,
            kind=kind,
            country=self.rng.choice(COUNTRIES),
            city=city,
            status=self.status(),
        )

    def build_organizations(self):
        kinds = (
            [models.OrganizationKind.COMPANY] * 45
            + [models.OrganizationKind.UNIVERSITY] * 40
            + [models.OrganizationKind.RESEARCH_INSTITUTE] * 10
            + [models.OrganizationKind.GOVERNMENT] * 5
        )
        count = max(self.n // 3, 10)
        self.companies, self.academia, self.organizations = [], [], []
        self.company_ids = set()  # for membership tests: the lists are for drawing by rank
        self.short_names = {}
        for start in range(0, count, CHUNK):
            self.at(min(count, start + CHUNK), count)
            batch = [self.organization(i, self.rng.choice(kinds)) for i in range(start, min(count, start + CHUNK))]
            self.write(models.Organization, batch)
            self.cite(batch)
            for organization in batch:
                self.organizations.append(organization.pk)
                self.short_names[organization.pk] = (organization.short_name, organization.name_en)
                if organization.kind == models.OrganizationKind.COMPANY:
                    self.companies.append(organization.pk)
                    self.company_ids.add(organization.pk)
                else:
                    self.academia.append(organization.pk)
            self.progress(f"organizations: {len(self.organizations):,}")

    def program(self, i: int, kinds: list) -> tuple:
        """Programme `i`, its sponsor and partner, its research areas (ids) and its editions."""
        sponsor, partner = skewed(self.companies, self.rng), skewed(self.academia, self.rng, 2.0)
        kind = self.rng.choice(kinds)
        topic, topic_en = self.rng.choice(TOPICS)
        word, pattern, _weight = KIND_WORDS[kind]
        (sponsor_short, sponsor_en), (partner_short, partner_en) = self.short_names[sponsor], self.short_names[partner]
        start_year = 2025 - int(30 * self.rng.random() ** 2)
        ended = self.rng.random() < 0.2
        program = models.Program(
            slug=f"syn-program-{i}",
            name=f"{sponsor_short}-{partner_short}{topic}{word}",
            name_en=f"{sponsor_en} & {partner_en} " + pattern.format(topic_en),
            kind=kind,
            summary=f"{sponsor_short}与{partner_short}在{topic}领域合作设立的{word}。",
            summary_en=f"{pattern.format(topic_en)}, set up by {sponsor_en} and {partner_en}.",
            start_year=start_year,
            end_year=min(2025, start_year + self.rng.randint(1, 8)) if ended else None,
            lifecycle=models.Lifecycle.ENDED if ended else models.Lifecycle.ACTIVE,
            status=self.status(),
        )
        participations = [
            models.Participation(program=program, organization_id=sponsor, role=models.ParticipationRole.SPONSOR),
            models.Participation(
                program=program,
                organization_id=partner,
                role=self.rng.choice([models.ParticipationRole.PARTNER, models.ParticipationRole.HOST]),
            ),
        ]
        areas = self.rng.sample(self.areas, self.rng.randint(1, 3))
        return program, participations, areas, self.editions(program, i, kind, start_year)

    def editions(self, program, i: int, kind, start_year: int) -> list:
        """A round a year, for a year or two, of the kinds of programme that have rounds."""
        if kind not in {models.ProgramKind.AWARD, models.ProgramKind.RESEARCH_FUND, models.ProgramKind.SCHOLARSHIP}:
            return []
        return [
            models.Edition(
                program=program,
                slug=f"syn-program-{i}-{year}",
                year=year,
                label=str(year),
                recipient_count=self.rng.randint(5, 50),
                amount=self.rng.choice([50000, 100000, 200000]),
                currency="CNY",
                amount_basis=models.AmountBasis.PER_PERSON,
            )
            for year in range(start_year, min(2025, start_year + self.rng.randint(0, 1)) + 1)
        ]

    def build_programs(self):
        kinds = [kind for kind, (_zh, _en, weight) in KIND_WORDS.items() for _ in range(weight)]
        self.programs = []
        through = models.Program.research_areas.through
        for start in range(0, self.n, CHUNK):
            self.at(min(self.n, start + CHUNK), self.n)
            programs, participations, areas, editions = [], [], [], []
            for i in range(start, min(self.n, start + CHUNK)):
                program, links, area_ids, rounds = self.program(i, kinds)
                programs.append(program)
                participations += links
                areas += [(program, area) for area in area_ids]
                editions += rounds
            self.write(models.Program, programs)
            self.write(models.Participation, participations)
            self.write(through, [through(program_id=program.pk, researcharea_id=area) for program, area in areas])
            self.write(models.Edition, editions)
            for records in (programs, participations, editions):
                self.cite(records)
            self.programs += [program.pk for program in programs]
            self.progress(f"programmes: {len(self.programs):,}")

    def person(self, i: int) -> tuple:
        """Person `i` and their career steps (a third of them moved between sectors) and involvement."""
        title, title_en = self.rng.choice(TITLES)
        current = self.rng.choice(self.organizations)
        person = models.Person(
            slug=f"syn-person-{i}",
            name=self.zh.name(),
            name_en=self.zh.romanized_name(),
            headline=title,
            headline_en=title_en,
            status=self.status(),
        )
        start_year = 2025 - self.rng.randint(0, 15)
        affiliations = [
            models.Affiliation(
                person=person,
                organization_id=current,
                title=title,
                title_en=title_en,
                start_year=start_year,
                is_current=True,
            )
        ]
        if self.rng.random() < 1 / 3:  # an earlier post in the other sector: a career move
            earlier = skewed(self.academia if current in self.company_ids else self.companies, self.rng, 2.0)
            affiliations.append(
                models.Affiliation(
                    person=person,
                    organization_id=earlier,
                    title="研究员",
                    title_en="Researcher",
                    start_year=start_year - 5,
                    end_year=start_year,
                )
            )
        involvement = models.Involvement(
            person=person,
            program_id=self.rng.choice(self.programs),
            role=self.rng.choice(self.roles),
            year=start_year,
        )
        return person, affiliations, involvement

    def build_people(self):
        self.people = []
        self.roles = list(models.InvolvementRole)
        for start in range(0, self.n, CHUNK):
            self.at(min(self.n, start + CHUNK), self.n)
            people, affiliations, involvements = [], [], []
            for i in range(start, min(self.n, start + CHUNK)):
                person, steps, involvement = self.person(i)
                people.append(person)
                affiliations += steps
                involvements.append(involvement)
            self.write(models.Person, people)
            self.write(models.Affiliation, affiliations)
            self.write(models.Involvement, involvements)
            for records in (people, affiliations, involvements):
                self.cite(records)
            self.people += [person.pk for person in people]
            self.progress(f"people: {len(self.people):,}")

    def build_projects(self):
        count = max(self.n // 10, 1)
        for start in range(0, count, CHUNK):
            self.at(min(count, start + CHUNK), count)
            projects, members = [], []
            for i in range(start, min(count, start + CHUNK)):
                topic, topic_en = self.rng.choice(TOPICS)
                project = models.Project(
                    slug=f"syn-project-{i}",
                    title=f"面向{topic}的{self.zh.word()}方法研究",
                    title_en=f"Methods for {topic_en}",
                    program_id=self.rng.choice(self.programs),
                    year=2025 - self.rng.randint(0, 10),
                    status=self.status(),
                )
                projects.append(project)
                lead, member = self.rng.sample(self.people, 2)
                members += [
                    models.ProjectMember(project=project, person_id=lead, role=models.MemberRole.LEAD),
                    models.ProjectMember(project=project, person_id=member, role=models.MemberRole.MEMBER),
                ]
            self.write(models.Project, projects)
            self.write(models.ProjectMember, members)
            self.cite(projects)
            self.progress(f"projects: {start + len(projects):,}")
