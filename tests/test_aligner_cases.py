"""Error kinds of issue 14 on hand-made documents through the real USE-m3 model."""

from __future__ import annotations

from align.aligner import align, languages

EN = [
    "The farm lies in a green valley north of the city.",  # 0
    "Its owners keep about two hundred goats.",  # 1
    "The animals spend every summer in the high pastures.",  # 2
    "The shepherds stay with them day and night.",  # 3
    "That's how they're brought up.",  # 4  loosely translated in ru (cosine 0.375)
    "In winter the goats return to the barns near the house.",  # 5
    "The milk is collected twice a day.",  # 6
    "Most of it goes into a soft white cheese.",  # 7
    "The cheese is sold at the Saturday market.",  # 8
    "Visitors can taste it in the farm shop.",  # 9
    "The shop is open from May to October.",  # 10
    "School groups are welcome by appointment.",  # 11
]
RU = [
    "Ферма находится в зелёной долине к северу от города.",
    "Её владельцы держат около двухсот коз.",
    "Каждое лето животные проводят на высокогорных пастбищах.",
    "Пастухи остаются с ними днём и ночью.",
    "Подпишитесь на нашу рассылку.",  # 4  only in ru (a real insertion)
    "Их так выращивают.",  # 5  free translation of en 4
    "Зимой козы возвращаются в хлев возле дома.",
    "Молоко собирают два раза в день.",
    "Большая часть идёт на мягкий белый сыр.",
    "Сыр продают на субботнем рынке.",
    "Попробовать его можно в магазине при ферме.",
    "Магазин работает с мая по октябрь.",
    "Школьные группы принимаются по записи.",
]
BRIDGE_EN = [
    "The old bridge across the river was built in 1926.",  # 0
    "It carries about twelve thousand cars a day.",  # 1
    "Last week inspectors examined its steel supports.",  # 2
    "Engineers found cracks in two of them, so, yes, the bridge will stay closed for a month.",
    "Ferries will carry cars across the river until then.",  # 4
    "The mayor apologised to commuters on Friday.",  # 5
    "She promised that repairs would start at once.",  # 6
    "The city will pay for the work from its reserve fund.",  # 7
    "A new bridge has been planned for years.",  # 8
    "Its construction may now begin sooner.",  # 9
    "Local shops fear a drop in customers.",  # 10
    "Some have already cut their opening hours.",  # 11
]
BRIDGE_RU = [
    "Старый мост через реку был построен в 1926 году.",
    "По нему проезжает около двенадцати тысяч машин в день.",
    "На прошлой неделе инспекторы осмотрели его стальные опоры.",
    "Инженеры нашли трещины в двух из них.",  # 3 ┐
    "Так что да.",  # 4                           ├ en 3 (a very short middle part)
    "Мост будет закрыт на месяц.",  # 5          ┘
    "До тех пор машины через реку будут перевозить паромы.",
    "В пятницу мэр извинилась перед жителями.",
    "Она пообещала, что ремонт начнётся немедленно.",
    "Город оплатит работы из резервного фонда.",
    "Новый мост планируют уже много лет.",
    "Теперь его строительство может начаться раньше.",
    "Местные магазины опасаются потерять покупателей.",
    "Некоторые уже сократили часы работы.",
]
PARAGRAPH = [  # only in English, inserted after BRIDGE_EN[4]
    "The river is also used by freight barges.",
    "They bring gravel from the quarries upstream.",
    "Barge traffic has doubled since 2010.",
    "The port authority wants a deeper channel.",
]


def _pairs(beads):
    return [(b.src, b.tgt) for b in beads]


def test_free_translation_next_to_a_real_insertion(use):
    """Issue 14: used to come out as 1-0 + 0-1, both with confidence 1.0."""
    beads = align(EN, RU, "en", "ru", embedder=use)
    got = _pairs(beads)
    assert ((4,), (5,)) in got, "the loose translation is paired, not left as two nulls"
    assert ((), (4,)) in got, "the newsletter line has no counterpart"
    assert got[:4] == [((k,), (k,)) for k in range(4)]
    assert got[6:] == [((k,), (k + 1,)) for k in range(5, 12)]
    by_pair = {(b.src, b.tgt): b for b in beads}
    assert by_pair[((4,), (5,))].score < by_pair[((0,), (0,))].score


def test_one_to_three_merge_with_a_very_short_part(use):
    got = _pairs(align(BRIDGE_EN, BRIDGE_RU, "en", "ru", embedder=use))
    assert got[:3] == [((k,), (k,)) for k in range(3)]
    assert got[3] == ((3,), (3, 4, 5))
    assert got[4:] == [((k,), (k + 2,)) for k in range(4, 12)]


def test_dropped_paragraph_becomes_nulls_without_pulling_neighbours(use):
    en = BRIDGE_EN[:5] + PARAGRAPH + BRIDGE_EN[5:]
    beads = align(en, BRIDGE_RU, "en", "ru", embedder=use)
    got = _pairs(beads)
    assert got[3:5] == [((3,), (3, 4, 5)), ((4,), (6,))]
    assert got[5:9] == [((k,), ()) for k in range(5, 9)]
    assert got[9:] == [((k,), (k - 2,)) for k in range(9, 16)]


def test_uncovered_language_warns_once_and_flags_more(use, capsys, monkeypatch):
    monkeypatch.setattr(languages, "_warned", set())
    en = ["The museum opens at 10 a.m.", "Tickets cost 15 euros."]
    az = ["Muzey səhər saat 10-da açılır.", "Biletlər 15 avroya başa gəlir."]
    beads = align(en, az, "en", "az", embedder=use)
    align(en, az, "en", "az", embedder=use)
    err = capsys.readouterr().err
    assert err.count("not trained on 'az'") == 1
    assert _pairs(beads) == [((0,), (0,)), ((1,), (1,))]
    align(en, en, "en", "en", embedder=use)
    assert "warning" not in capsys.readouterr().err, "covered languages stay silent"


# A news page whose two language versions end in different page furniture.
PAGE_EN = [
    "Share this article",
    "The city council approved the new budget on Tuesday.",
    "The budget includes 12 million euros for public transport.",
    "Critics say the plan is too ambitious.",
    "They point to delays in earlier projects.",
    "The mayor rejected these concerns.",
    '"We have learned from our mistakes," she said.',
    "Construction of the new tram line will begin in March.",
    "It is expected to take two years.",
    "Residents will be able to comment on the route until the end of the month.",
    "The consultation will be held online and in three libraries.",
    "Local businesses have welcomed the decision.",
    "However, some shop owners fear that the works will reduce their income.",
    "The council promised compensation for affected businesses.",
    "A final vote on the route is scheduled for June.",
    "Read more: Council elections 2025",
]
PAGE_UK = [
    "Міська рада у вівторок затвердила новий бюджет.",
    "Бюджет передбачає 12 мільйонів євро на громадський транспорт.",
    "Критики вважають план надто амбітним, посилаючись на затримки в попередніх проєктах.",
    "Мерка відкинула ці побоювання.",
    "«Ми навчилися на своїх помилках», — сказала вона.",
    "Будівництво нової трамвайної лінії розпочнеться в березні.",
    "Очікується, що воно триватиме два роки.",
    "До кінця місяця мешканці зможуть висловитися щодо маршруту.",
    "Обговорення відбудеться онлайн і в трьох бібліотеках.",
    "Загалом підприємці сприйняли новину спокійно.",
    "Втім, частина власників крамниць побоюється, що через роботи їхні доходи зменшаться.",
    "Рада пообіцяла компенсації постраждалим підприємствам.",
    "Остаточне голосування щодо маршруту заплановане на червень.",
    "Підписуйтеся на наш Telegram-канал",
]


def test_different_furniture_at_the_page_end_is_not_a_trusted_pair(use):
    """The edge of a document is no evidence that its last lines translate each other."""
    beads = align(PAGE_EN, PAGE_UK, "en", "uk", embedder=use)
    last = [b for b in beads if len(PAGE_EN) - 1 in b.src or len(PAGE_UK) - 1 in b.tgt]
    assert all(b.review or not (b.src and b.tgt) for b in last), last
    assert ((13,), (11,)) in _pairs(beads) and ((1,), (0,)) in _pairs(beads)
