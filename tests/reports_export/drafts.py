"""Realistic stakeholder drafts as Word files, built with python-docx (no binary fixtures).

Each draft is written the way coalitions really write them, not the way our exporter does:
a title naming the State, a session line, "Submitted by the Coalition X (JS): Org A (City);
Org B (City) …", "Key words: …", a contact line, headings with typed roman numerals, Word's
automatic numbering or typed numbers ("12.", "3)" followed by a tab), real footnotes,
bulleted and lettered lists, and tables. `DRAFTS` maps a name to its builder, and `EXPECTED`
says what the reader must find in each, so the tests can check both the reading and that the
validator finds nothing to correct on a complete draft.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from io import BytesIO

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from uprhub.reports.document import Footnote
from uprhub.reports.export.docx import _Footnotes

# --- a small writer -------------------------------------------------------------------------


class Draft:
    """A python-docx document with the few gestures a drafter makes."""

    def __init__(self, language: str = "") -> None:
        self.document = docx.Document()
        if language:
            self.document.core_properties.language = language
        self._notes: _Footnotes | None = None
        self._letters: str | None = None
        self._typed_count = 0

    # front matter
    def title(self, text: str, *, style: bool = False) -> None:
        """The title: Word's Title style, or (more often) a bold, centred Normal paragraph."""
        if style:
            self.document.add_paragraph(text, style="Title")
            return
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(text).bold = True

    def line(self, text: str, *, bold_label: bool = True) -> None:
        """A cover line; "Label: value" gets a bold label, as drafters format it."""
        paragraph = self.document.add_paragraph()
        label, sep, rest = text.partition(":")
        if bold_label and sep:
            paragraph.add_run(label + sep).bold = True
            paragraph.add_run(rest)
        else:
            paragraph.add_run(text)

    def blank(self) -> None:
        self.document.add_paragraph("")

    # text
    def heading(self, text: str, level: int = 1) -> None:
        self.document.add_heading(text, level=level)

    def _footnotes(self, paragraph, notes: Sequence[str]) -> None:
        for note in notes:
            self._notes = self._notes or _Footnotes(self.document)
            self._notes.add(paragraph, Footnote(note))

    def numbered(self, text: str, *notes: str) -> None:
        """A paragraph numbered by Word ("List Number" style): the number is not text."""
        paragraph = self.document.add_paragraph(text, style="List Number")
        self._footnotes(paragraph, notes)

    def typed(self, text: str, *notes: str, mark: str = ".") -> None:
        """A paragraph whose number the drafter typed, followed by a tab: "12.\tText"."""
        self._typed_count += 1
        paragraph = self.document.add_paragraph()
        paragraph.add_run(f"{self._typed_count}{mark}")
        paragraph.add_run().add_tab()
        paragraph.add_run(text)
        self._footnotes(paragraph, notes)

    def bullet(self, text: str, *notes: str) -> None:
        paragraph = self.document.add_paragraph(text, style="List Bullet")
        self._footnotes(paragraph, notes)

    def letter(self, text: str) -> None:
        """An item of an automatic "(a), (b)…" list."""
        if self._letters is None:
            numbering = self.document.part.numbering_part.element
            abstract = parse_xml(
                f'<w:abstractNum {nsdecls("w")} w:abstractNumId="91"><w:lvl w:ilvl="0">'
                '<w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
                '<w:lvlText w:val="(%1)"/></w:lvl></w:abstractNum>'
            )
            numbering.find(qn("w:num")).addprevious(abstract)
            self._letters = str(numbering.add_num(91).numId)
        paragraph = self.document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(
            parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/>'
                f'<w:numId w:val="{self._letters}"/></w:numPr>'
            )
        )

    def plain(self, text: str) -> None:
        self.document.add_paragraph(text)

    def table(self, rows: Sequence[Sequence[str]]) -> None:
        table = self.document.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value

    def save(self) -> bytes:
        buffer = BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


# --- the drafts ---------------------------------------------------------------------------------


def us_joint_housing() -> bytes:
    """A US coalition's joint submission: Word numbering, footnotes, a table, bullets."""
    d = Draft()
    d.title("Joint Stakeholder Submission on the United States of America")
    d.line("Universal Periodic Review, 4th cycle – 53rd session of the UPR Working Group")
    d.line("November 2026", bold_label=False)
    d.blank()
    d.line(
        "Submitted by the US Human Rights Network UPR Taskforce on Housing (JS): Western "
        "Center on Law and Poverty (Los Angeles, CA); National Homelessness Law Center "
        "(Washington, DC); Coalition on Homelessness (San Francisco, CA); Chicago Coalition "
        "for the Homeless (Chicago, IL)"
    )
    d.line(
        "Key words: right to adequate housing; homelessness; criminalisation of "
        "homelessness; evictions; racial discrimination"
    )
    d.line("Contact: Jane Doe, jane.doe@example.org")
    d.heading("I. Introduction")
    d.numbered(
        "This joint submission assesses how far the United States has implemented the "
        "recommendations on the right to adequate housing that it supported at its third "
        "review in November 2020, and what has happened since.",
        "A/HRC/46/15, recommendations 26.178–26.181 and 26.250.",
    )
    d.numbered(
        "Homelessness has reached its highest level since national counts began, and a "
        "growing number of cities punish people for sleeping outside when no shelter is "
        "available to them."
    )
    d.heading("II. Follow-up to the previous review")
    d.heading("A. Criminalisation of homelessness", level=2)
    d.numbered(
        "In 2020 the United States supported recommendations to end the criminalisation of "
        "homelessness. Instead, after the Supreme Court's decision in City of Grants Pass v. "
        "Johnson, more than 150 cities have adopted or enforced camping bans.",
        "Grants Pass v. Johnson, 603 U.S. ___ (2024).",
        "National Homelessness Law Center, Housing Not Handcuffs 2025, p. 12.",
    )
    d.numbered(
        "The number of people counted as homeless on a single night rose sharply between "
        "2020 and 2024, as the table below shows.",
        "US Department of Housing and Urban Development, Annual Homelessness Assessment "
        "Report to Congress, 2024, https://www.huduser.gov/portal/datasets/ahar.html.",
    )
    d.table(
        [
            ["Year", "People experiencing homelessness", "Of whom unsheltered"],
            ["2020", "580,466", "226,080"],
            ["2022", "582,462", "233,832"],
            ["2024", "771,480", "274,224"],
        ]
    )
    d.numbered(
        "Encampment sweeps destroy identity documents, medicine and tools of work. Those "
        "most affected are:"
    )
    d.bullet("Black and Indigenous people, who are over-represented among the unsheltered;")
    d.bullet("older people and people with disabilities;")
    d.bullet("young people leaving foster care.")
    d.heading("B. Evictions", level=2)
    d.numbered(
        "Eviction filings returned to pre-pandemic levels in 2023. Tenants rarely have a "
        "lawyer, while most landlords do.",
        "Eviction Lab, Princeton University, national estimates 2023.",
    )
    d.heading("III. Recommendations")
    d.numbered("We recommend that the Government of the United States of America:")
    d.letter("end the enforcement of laws that punish sleeping or sitting in public places;")
    d.letter("fund permanent supportive housing in proportion to local need;")
    d.letter("guarantee a right to counsel for tenants facing eviction.")
    return d.save()


def fr_individual_police() -> bytes:
    """An individual submission in English on France: Title style, typed numbers and tabs."""
    d = Draft(language="en-GB")
    d.title("Submission to the Universal Periodic Review of France", style=True)
    d.line("43rd session of the UPR Working Group (May 2023)", bold_label=False)
    d.line("Submitted by Ligue des droits de l'Homme (LDH), Paris, France")
    d.line("Keywords: police; use of force; freedom of peaceful assembly")
    d.line("Contact person: Marie Dupont (marie.dupont@example.org)")
    d.heading("Introduction")
    d.typed(
        "Ligue des droits de l'Homme, founded in 1898, monitors the conduct of law "
        "enforcement during demonstrations. This submission reviews the implementation of "
        "the recommendations France supported in 2018 on the use of force by the police.",
        "A/HRC/38/4, recommendations 145.57 and 145.61.",
    )
    d.typed(
        "Since the last review, the use of less-lethal weapons during protests has caused "
        "serious injuries, including the loss of eyes and hands."
    )
    d.heading("Follow-up to the previous review")
    d.typed(
        "The recommendation to ensure that complaints against police officers are "
        "investigated promptly and independently has not been implemented: the police "
        "inspectorate still reports to the Ministry of the Interior.",
        "Défenseur des droits, Annual Report 2022, p. 45.",
    )
    d.typed(
        "Between 2018 and 2022 the inspectorate received the following complaints:",
        "Inspection générale de la police nationale, annual reports 2018–2022.",
    )
    d.table(
        [
            ["Year", "Complaints", "Referred to prosecutors"],
            ["2018", "1,180", "378"],
            ["2022", "1,342", "402"],
        ]
    )
    d.heading("Recommendations")
    d.typed("We recommend that the Government of France:")
    d.plain("(a)\tcreate an independent body to investigate complaints against the police;")
    d.plain("(b)\tban the use of sub-machine-gun-like launchers of rubber bullets at protests.")
    return d.save()


def mx_joint_spanish() -> bytes:
    """A joint submission in Spanish on Mexico, with submitters listed one per line."""
    d = Draft(language="es-MX")
    d.title("Informe conjunto sobre México para el Examen Periódico Universal")
    d.line("4.º ciclo – 45.º período de sesiones del Grupo de Trabajo del EPU (enero de 2024)")
    d.line("Presentado por la Red Nacional de Organismos Civiles de Derechos Humanos (JS):")
    d.bullet("Centro de Derechos Humanos Miguel Agustín Pro Juárez (Ciudad de México)")
    d.bullet("Centro de Derechos Humanos de la Montaña Tlachinollan (Tlapa, Guerrero)")
    d.bullet("Comité Cerezo México (Ciudad de México)")
    d.line("Palabras clave: desaparición forzada; defensores de derechos humanos; impunidad")
    d.line("Persona de contacto: Luisa Pérez, luisa.perez@example.org")
    d.heading("I. Introducción")
    d.typed(
        "Este informe conjunto evalúa la aplicación de las recomendaciones sobre "
        "desaparición forzada que México aceptó en su examen de 2018, y los hechos "
        "ocurridos desde entonces.",
        "A/HRC/40/8, recomendaciones 132.1 a 132.13.",
    )
    d.heading("II. Seguimiento del examen anterior")
    d.typed(
        "El registro nacional cuenta más de cien mil personas desaparecidas. Las familias "
        "que las buscan sufren amenazas y ataques, y la mayoría de los casos sigue en la "
        "impunidad.",
        "Registro Nacional de Personas Desaparecidas y No Localizadas, consulta de 2023.",
    )
    d.typed(
        "La Comisión Nacional de Búsqueda no cuenta con el presupuesto ni con el personal "
        "que necesita para cumplir su mandato en todos los estados del país."
    )
    d.heading("III. Recomendaciones")
    d.typed("Recomendamos al Estado mexicano:")
    d.letter("dotar a la Comisión Nacional de Búsqueda de recursos suficientes;")
    d.letter("proteger a las familias buscadoras y a las personas defensoras.")
    return d.save()


def fr_joint_french() -> bytes:
    """A joint submission in French: title in a Heading style, typed numbers with ")",
    submitters after a colon."""
    d = Draft(language="fr-FR")
    # The title in Word's "Heading 1" style, as many drafters write it.
    d.heading("Contribution conjointe sur la France – Examen périodique universel")
    d.line("43e session du Groupe de travail de l'EPU, mai 2023", bold_label=False)
    d.line(
        "Soumis par la Coalition Logement Digne (JS) : Fondation pour le logement (Paris) ; "
        "Droit au logement (Paris) ; Collectif Les Morts de la Rue (Lyon)"
    )
    d.line("Mots-clés : droit au logement ; expulsions ; sans-abrisme")
    d.line("Contact : Paul Martin, paul.martin@example.org")
    d.heading("Introduction")
    d.typed(
        "Cette contribution conjointe évalue la mise en œuvre des recommandations sur le "
        "droit au logement que la France a acceptées lors de son examen de 2018, ainsi que "
        "les évolutions depuis cet examen.",
        "A/HRC/38/4, recommandations 145.210 à 145.214.",
        mark=")",
    )
    d.heading("Suivi de l'examen précédent")
    d.typed(
        "Le nombre de personnes sans domicile a plus que doublé en dix ans, et les "
        "expulsions locatives avec le concours de la force publique ont atteint un niveau "
        "record en 2023.",
        "Fondation pour le logement, L'état du mal-logement en France, rapport annuel 2024.",
        mark=")",
    )
    d.heading("Recommandations")
    d.typed("Nous recommandons à la France de :", mark=")")
    d.bullet("mettre fin aux expulsions sans solution de relogement ;")
    d.bullet("produire chaque année au moins 150 000 logements sociaux.")
    return d.save()


def us_individual_bold_headings() -> bytes:
    """An individual submission with no Word styles at all: bold lines as headings, typed
    numbers, typed bullets, key words separated by commas."""
    d = Draft()
    d.title("Submission on the Death Penalty in the United States of America")
    d.line("Universal Periodic Review – UPR 53, November 2026", bold_label=False)
    d.line("Submitted by The Advocates for Human Rights (Minneapolis, MN)")
    d.line("Key words: death penalty, racial discrimination, methods of execution")
    d.line("Contact: John Smith – jsmith@example.org")
    d.title("I. Introduction")
    d.typed(
        "The Advocates for Human Rights, founded in 1983, documents the use of the death "
        "penalty in the United States. This submission assesses the follow-up to the "
        "recommendations on capital punishment made at the review of 2020.",
        "A/HRC/46/15, recommendations 26.124 to 26.148.",
    )
    d.title("II. Follow-up to the previous review")
    d.title("A. Racial disparities")
    d.typed(
        "Black people remain over-represented on death row, and no federal law allows "
        "defendants to challenge a death sentence with evidence of racial bias.",
        "Death Penalty Information Center, Year-End Report 2025.",
    )
    d.typed("New methods of execution have been adopted since the last review:")
    d.plain("•\tnitrogen hypoxia, first used in Alabama in January 2024;")
    d.plain("•\tfiring squads, authorised again in several States.")
    d.title("III. Recommendations")
    d.typed(
        "We recommend that the United States establish a moratorium on federal executions "
        "with a view to abolishing the death penalty."
    )
    return d.save()


@dataclass(frozen=True)
class Expected:
    """What the reader must find in a draft."""

    state_code: str
    session: int
    joint: bool
    main_submitter: str
    organisations: tuple[str, ...]
    key_words: tuple[str, ...]
    contact_name: str
    contact_email: str
    paragraphs: int
    typed_numbers: int  # paragraphs whose number is typed text, which Word counts as a word
    language: str
    cities: tuple[str, ...] = field(default=())


DRAFTS: dict[str, Callable[[], bytes]] = {
    "us_joint_housing": us_joint_housing,
    "fr_individual_police": fr_individual_police,
    "mx_joint_spanish": mx_joint_spanish,
    "fr_joint_french": fr_joint_french,
    "us_individual_bold_headings": us_individual_bold_headings,
}

EXPECTED: dict[str, Expected] = {
    "us_joint_housing": Expected(
        state_code="USA",
        session=53,
        joint=True,
        main_submitter="US Human Rights Network UPR Taskforce on Housing",
        organisations=(
            "Western Center on Law and Poverty",
            "National Homelessness Law Center",
            "Coalition on Homelessness",
            "Chicago Coalition for the Homeless",
        ),
        cities=("Los Angeles, CA", "Washington, DC", "San Francisco, CA", "Chicago, IL"),
        key_words=(
            "right to adequate housing",
            "homelessness",
            "criminalisation of homelessness",
            "evictions",
            "racial discrimination",
        ),
        contact_name="Jane Doe",
        contact_email="jane.doe@example.org",
        paragraphs=7,
        typed_numbers=0,
        language="en",
    ),
    "fr_individual_police": Expected(
        state_code="FRA",
        session=43,
        joint=False,
        main_submitter="Ligue des droits de l'Homme",
        organisations=("Ligue des droits de l'Homme",),
        key_words=("police", "use of force", "freedom of peaceful assembly"),
        contact_name="Marie Dupont",
        contact_email="marie.dupont@example.org",
        paragraphs=5,
        typed_numbers=5,
        language="en",
    ),
    "mx_joint_spanish": Expected(
        state_code="MEX",
        session=45,
        joint=True,
        main_submitter="Red Nacional de Organismos Civiles de Derechos Humanos",
        organisations=(
            "Centro de Derechos Humanos Miguel Agustín Pro Juárez",
            "Centro de Derechos Humanos de la Montaña Tlachinollan",
            "Comité Cerezo México",
        ),
        key_words=("desaparición forzada", "defensores de derechos humanos", "impunidad"),
        contact_name="Luisa Pérez",
        contact_email="luisa.perez@example.org",
        paragraphs=4,
        typed_numbers=4,
        language="es",
    ),
    "fr_joint_french": Expected(
        state_code="FRA",
        session=43,
        joint=True,
        main_submitter="Coalition Logement Digne",
        organisations=(
            "Fondation pour le logement",
            "Droit au logement",
            "Collectif Les Morts de la Rue",
        ),
        key_words=("droit au logement", "expulsions", "sans-abrisme"),
        contact_name="Paul Martin",
        contact_email="paul.martin@example.org",
        paragraphs=3,
        typed_numbers=3,
        language="fr",
    ),
    "us_individual_bold_headings": Expected(
        state_code="USA",
        session=53,
        joint=False,
        main_submitter="The Advocates for Human Rights",
        organisations=("The Advocates for Human Rights",),
        key_words=("death penalty", "racial discrimination", "methods of execution"),
        contact_name="John Smith",
        contact_email="jsmith@example.org",
        paragraphs=4,
        typed_numbers=4,
        language="en",
    ),
}
