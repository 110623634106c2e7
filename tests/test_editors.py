"""The rough edges a new editor hit: unfilled templates, cross-file checks in one run,
missing fields, did-you-mean for every folder name, Chinese commas in lists, pinyin folder
names, quiet builds, `showcase report`, and the guide's walkthrough from a new profile to
the published site. Every test runs the real CLI."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from showcase.privacy import folder_outputs, texts_of

from conftest import FIXTURES, REPO, copy_sample, copy_tree, repo_settings, run

PROBLEM = re.compile(r"^[^:\s]+:\d+:\d+: ")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """books-mini with halls-mini over it: workers, a studio, a book and halls."""
    root = copy_tree(FIXTURES / "books-mini", tmp_path / "root")
    shutil.copytree(FIXTURES / "halls-mini", root, dirs_exist_ok=True)
    assert run(root, "check").returncode == 0
    return root


def problems(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if PROBLEM.match(line)]


def errors(stderr: str) -> list[str]:
    return [line for line in problems(stderr) if ": 警告: " not in line]


def at(path: Path, needle: str, value: str = "") -> str:
    """line:col of the value after `needle` (e.g. "name: ") on the first line that starts
    with needle + value."""
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if line.startswith(needle + value):
            return f"{number}:{len(needle) + 1}"
    raise AssertionError(f"{needle!r} not in {path}")


def publish(path: Path) -> None:
    text = path.read_text("utf-8")
    assert "\npublish: false" in text
    path.write_text(text.replace("\npublish: false", "\npublish: true"), "utf-8")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (old, text)
    path.write_text(text.replace(old, new, 1), "utf-8")


FILL = "（提示：改成真实内容，或删掉这一行）"


# -- 1. unfilled templates --------------------------------------------------------------


def test_fresh_templates_check_clean_while_unpublished(root: Path) -> None:
    for args in (
        ("new", "worker", "x"),
        ("new", "studio", "s"),
        ("new", "book", "b"),
        ("new", "chapter", "--book", "b", "--worker", "shi-li-jia"),
        ("new", "hall", "h"),
    ):
        assert run(root, *args).returncode == 0
    result = run(root, "check")
    assert result.returncode == 0, result.stderr
    assert not errors(result.stderr)


def test_published_unfilled_templates_are_refused_per_placeholder(root: Path) -> None:
    for args in (
        ("new", "worker", "x"),
        ("new", "studio", "s"),
        ("new", "book", "b"),
        ("new", "chapter", "--book", "b", "--worker", "shi-li-jia"),
        ("new", "hall", "h"),
    ):
        assert run(root, *args).returncode == 0
    worker = root / "workers/x/profile.yml"
    studio = root / "studios/s/studio.yml"
    book = root / "content/books/b/book.yml"
    chapter = root / "content/books/b/01-shi-li-jia.md"
    hall = root / "content/halls/h/hall.yml"
    for path in (worker, studio, book, chapter, hall):
        publish(path)
    # an uncommented optional line still holding its description counts too
    edit(worker, "# employer: 工作单位", "employer: 工作单位")
    edit(hall, "#  - worker: 劳模文件夹名", "  - worker: shi-li-jia")
    edit(hall, "#    note: 策展人的话，一两句", "    note: 策展人的话，一两句")
    result = run(root, "check")
    assert result.returncode == 1
    b, h = "content/books/b", "content/halls/h"
    body = chapter.read_text("utf-8").splitlines().index("正文从这里开始。用 Markdown 写：段落之间空一行；*斜体*、**加粗**、列表和链接都可以用，") + 1  # fmt: skip
    note = at(hall, "    note: ")
    assert errors(result.stderr) == [
        f"{b}/01-shi-li-jia.md:{at(chapter, 'title: ')}: title: 还是模板里的示例内容「文章标题」{FILL}",
        f"{b}/01-shi-li-jia.md:{at(chapter, 'writer: ')}: writer[0]: 还是模板里的示例内容「作者姓名」{FILL}",
        f"{b}/01-shi-li-jia.md:{body}:1: 正文: 还是模板里的示例内容「正文从这里开始。用 Markdown 写：段落之…」（提示：删掉这段说明，写上文章正文）",
        f"{b}/01-shi-li-jia.md:{body + 3}:1: 正文: 还是模板里的示例内容「插图：把图片放进本书的文件夹，在正文里单独写一行…」（提示：删掉这段说明，写上文章正文）",
        f"{b}/01-shi-li-jia.md:{body + 5}:1: 正文: 还是模板里的示例内容「写好后运行 make check 检查，按提示修…」（提示：删掉这段说明，写上文章正文）",
        f"{b}/book.yml:{at(book, 'title: ')}: title: 还是模板里的示例内容「书名」{FILL}",
        f"{b}/book.yml:{at(book, 'compiler: ')}: compiler: 还是模板里的示例内容「编撰单位」{FILL}",
        f"{b}/book.yml:{at(book, 'description: ').split(':')[0]}:14: description: 还是模板里的示例内容「一两段简介。」{FILL}",
        f"{h}/hall.yml:{at(hall, 'title: ')}: title: 还是模板里的示例内容「展厅名称」{FILL}",
        f"{h}/hall.yml:{at(hall, 'intro: ').split(':')[0]}:8: intro: 还是模板里的示例内容「一两段导语。」{FILL}",
        f"{h}/hall.yml:{note}: items[0].note: 还是模板里的示例内容「策展人的话，一两句，纯文字（最多 300 字）」{FILL}",
        f"studios/s/studio.yml:{at(studio, 'name: ')}: name: 还是模板里的示例内容「工作室名称」{FILL}",
        f"studios/s/studio.yml:{at(studio, 'summary: ')}: summary: 还是模板里的示例内容「一句话简介」{FILL}",
        f"studios/s/studio.yml:{at(studio, '  - title: ')}: sources[0].title: 还是模板里的示例内容「出处标题」{FILL}",
        f"workers/x/profile.yml:{at(worker, 'name: ')}: name: 还是模板里的示例内容「姓名」{FILL}",
        f"workers/x/profile.yml:{at(worker, 'employer: ')}: employer: 还是模板里的示例内容「工作单位」{FILL}",
        f"workers/x/profile.yml:{at(worker, 'summary: ')}: summary: 还是模板里的示例内容「一句话简介」{FILL}",
        f"workers/x/profile.yml:{at(worker, '  - title: ', '出处')}: sources[0].title: 还是模板里的示例内容「出处标题（报刊文章名）」{FILL}",
    ]
    # the template's real examples (a vocabulary honour, a studio kind) are not placeholders
    assert "全国劳动模范" not in result.stderr and "创新工作室」" not in result.stderr


def test_filled_profile_with_template_examples_publishes(root: Path) -> None:
    assert run(root, "new", "worker", "x").returncode == 0
    worker = root / "workers/x/profile.yml"
    publish(worker)
    edit(worker, "name: 姓名", "name: 王五")
    edit(worker, "summary: 一句话简介", "summary: 一位示例劳模。")
    edit(worker, "title: 出处标题（报刊文章名）", "title: 示例日报的报道")
    result = run(root, "check")
    assert result.returncode == 0, result.stderr


# -- 2. cross-file checks, missing fields, did-you-mean ---------------------------------


def test_chapter_worker_reported_with_its_other_problems_in_one_run(root: Path) -> None:
    chapter = root / "content/books/sample-book/b-spring.md"
    edit(chapter, "workers: shi-li-jia", "workers: shi-li-jai")
    edit(chapter, "writer: 示例作家甲\n", "")  # a problem of the file itself
    edit(chapter, "这是第一篇示例文章。", "这是[第一篇](/local)示例文章。")
    result = run(root, "check")
    rel = "content/books/sample-book/b-spring.md"
    assert errors(result.stderr) == [
        f"{rel}:1:1: writer: 文件里缺少必填字段「writer」（提示：添加一行 writer: …（作者；一位写 writer: 张三，几位写 writer: [张三, 李四]））",
        f"{rel}:3:10: workers[0]: 找不到劳模「shi-li-jai」（提示：是否指「shi-li-jia」？）",
        f"{rel}:7:24: 正文: 链接「/local」不是以 http:// 或 https:// 开头的完整网址（提示：写成以 https:// 开头的完整网址，或删掉链接只留文字）",
    ]


def test_missing_required_field_at_file_start_and_item_start(root: Path) -> None:
    profile = root / "workers/shi-li-jia/profile.yml"
    profile.write_text(
        "# 档案\nhonors:\n  - year: 2015\n    body: 示例单位\nsummary: 摘要\nsources: [示例报道]\n",
        "utf-8",
    )
    result = run(root, "check")
    rel = "workers/shi-li-jia/profile.yml"
    assert errors(result.stderr) == [
        f"{rel}:1:1: name: 文件里缺少必填字段「name」（提示：添加一行 name: …（姓名（汉字）））",
        f"{rel}:3:5: honors[0].title: honors[0] 这一项（从这一行开始）缺少必填字段「title」（提示：在这一项里添加 title: …（荣誉称号，须在设置的荣誉词表中（决定级别）））",
    ]


def test_did_you_mean_for_every_folder_name_reference(root: Path) -> None:
    edit(root / "workers/shi-li-yi/profile.yml", "name:", "studios: [shi-li-stuido]\nname:")
    studio = root / "studios/shi-li-studio/studio.yml"
    edit(studio, "leader: shi-li-jia", "leader: shi-li-jai\nmembers: [shi-li-yii]")
    edit(root / "content/books/sample-book/b-spring.md", "workers: shi-li-jia", "workers: [shi-li-jai]")  # fmt: skip
    hall = root / "content/halls/second-hall/hall.yml"
    edit(hall, "chapter: sample-book/b-spring", "chapter: sample-book/b-sprnig")
    edit(hall, "worker: shi-li-yi", "worker: shi-liyi")
    edit(root / "content/halls/first-hall/hall.yml", "studio: shi-li-studio", "studio: shi-li-studi")  # fmt: skip
    (root / "exhibition.yml").write_text(
        (root / "exhibition.yml").read_text("utf-8") + "featured: [shi-li-jai]\n", "utf-8"
    )
    result = run(root, "check")
    found = errors(result.stderr)
    for expected in (
        "workers/shi-li-yi/profile.yml:1:11: studios[0]: 找不到工作室「shi-li-stuido」（提示：是否指「shi-li-studio」？）",
        "studios/shi-li-studio/studio.yml:3:9: leader: 找不到劳模「shi-li-jai」（提示：是否指「shi-li-jia」？）",
        "studios/shi-li-studio/studio.yml:4:11: members[0]: 找不到劳模「shi-li-yii」（提示：是否指「shi-li-yi」？）",
        "content/books/sample-book/b-spring.md:4:11: workers[0]: 找不到劳模「shi-li-jai」（提示：是否指「shi-li-jia」？）",
        "content/halls/second-hall/hall.yml:4:14: items[0].chapter: 找不到文章「sample-book/b-sprnig」（提示：是否指「sample-book/b-spring」？）",
        "content/halls/second-hall/hall.yml:6:13: items[1].worker: 找不到劳模「shi-liyi」（提示：是否指「shi-li-yi」？）",
        "content/halls/first-hall/hall.yml:10:13: items[1].studio: 找不到工作室「shi-li-studi」（提示：是否指「shi-li-studio」？）",
    ):
        assert expected in found, "\n".join(found)
    featured = [line for line in found if line.startswith("exhibition.yml:")]
    assert len(featured) == 1 and featured[0].endswith(
        ": featured[0]: 找不到劳模「shi-li-jai」（提示：是否指「shi-li-jia」？）"
    ), found
    assert len(found) == 8, "\n".join(found)


# -- 3. Chinese commas in bracketed lists -----------------------------------------------


def test_chinese_comma_in_a_list_item(root: Path) -> None:
    profile = root / "workers/shi-li-yi/profile.yml"
    edit(profile, "name:", "tags: [技能传承，测试, 工匠]\nstudios: [shi-li-studio、nothing]\nname:")
    chapter = root / "content/books/sample-book/b-spring.md"
    edit(chapter, "writer: 示例作家甲", "writer: 示例作家甲、示例作家乙")
    result = run(root, "check")
    rel = "workers/shi-li-yi/profile.yml"
    assert errors(result.stderr) == [
        f"{rel}:2:11: studios[0]: 「shi-li-studio、nothing」不是合法的文件夹名（提示：是否想写成 [shi-li-studio, nothing]？）",
    ]
    warnings = [line for line in problems(result.stderr) if ": 警告: " in line]
    assert f"{rel}:1:8: 警告: tags[0]: 「技能传承，测试」会当作一项：方括号里要用英文逗号分隔（提示：是否想写成 [技能传承, 测试, 工匠]？）" in warnings  # fmt: skip
    assert "content/books/sample-book/b-spring.md:3:9: 警告: writer[0]: 「示例作家甲、示例作家乙」会当作一项：方括号里要用英文逗号分隔（提示：是否想写成 [示例作家甲, 示例作家乙]？）" in warnings  # fmt: skip


def test_chinese_comma_in_a_block_list_item_is_left_alone(root: Path) -> None:
    edit(root / "workers/shi-li-yi/profile.yml", "name:", "tags:\n  - 技能传承，测试\nname:")
    result = run(root, "check")
    assert result.returncode == 0 and "tags" not in result.stderr, result.stderr


# -- 4. pinyin folder names -------------------------------------------------------------


def test_new_worker_with_a_chinese_name_suggests_pinyin(root: Path) -> None:
    result = run(root, "new", "worker", "张三")
    assert result.returncode == 2
    assert result.stderr.strip() == "无法执行：「张三」不能用作文件夹名：只用小写英文字母、数字和连字符，如 yao-hongfei（提示：可以写 showcase new worker zhang-san）"  # fmt: skip
    (root / "workers/zhang-san").mkdir()
    result = run(root, "new", "worker", "张三")
    assert "（提示：可以写 showcase new worker zhang-san-2）" in result.stderr
    assert "showcase new worker shan-tianfang）" in run(root, "new", "worker", "单田芳").stderr
    assert "showcase new hall hong-chuan）" in run(root, "new", "hall", "红船").stderr
    taken = run(root, "new", "worker", "shi-li-jia")
    assert "无法执行：workers/shi-li-jia/profile.yml 已存在（提示：要新建另一份（如同名的另一个人）时可以写 showcase new worker shi-li-jia-2）" in taken.stderr  # fmt: skip
    assert not (root / "workers/zhang-san-2").exists()


# -- 5. quiet builds --------------------------------------------------------------------


def test_site_is_quiet_unless_verbose(root: Path) -> None:
    quiet = run(root, "site")
    assert quiet.returncode == 0, quiet.stderr
    # only the content's own warnings: no MkDocs INFO, no jieba
    assert all(PROBLEM.match(line) for line in quiet.stderr.splitlines()), quiet.stderr
    assert "INFO" not in quiet.stderr and "prefix dict" not in quiet.stderr
    assert quiet.stdout.startswith("网站已生成：") and quiet.stdout.count("\n") == 1
    loud = run(root, "-v", "site")
    assert loud.returncode == 0
    assert "INFO" in loud.stderr and "Building documentation" in loud.stderr


def test_makefile_apt_get_is_quiet() -> None:
    text = (REPO / "Makefile").read_text("utf-8")
    recipes = [line for line in text.splitlines() if "apt-get" in line]
    assert recipes
    for line in recipes:
        if line.startswith("\t"):
            assert "$(call apt_install," in line and line.startswith("\t@"), line
    helper = next(line for line in recipes if line.startswith("apt_install"))
    assert helper.count(">/dev/null") == 2 and "2>" not in helper
    assert "-qq" in next(line for line in recipes if line.startswith("APT_GET"))


# -- 6. showcase report -----------------------------------------------------------------


def sample_root(tmp_path: Path) -> Path:
    return copy_sample(tmp_path / "sample")


def test_report_on_the_sample_exhibition(tmp_path: Path) -> None:
    root = sample_root(tmp_path)
    result = run(root, "report")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("公开的劳模 5 位，工作室 3 个，书 1 本（文章 1 篇），展厅 1 个；")
    assert "工作室没有领衔人（1）\n  怎么改：写 leader: 劳模文件夹名\n  南湖金锤劳模工匠技术服务队  studios/nanhu-jinchui/studio.yml:1\n" in out  # fmt: skip
    assert "  姚红飞  全国劳动模范    workers/yao-hongfei/profile.yml:6\n" in out
    assert "不在任何展厅里（0）：无" in out
    assert "劳模人数：按最高荣誉级别\n  国家级     2\n" in out
    assert re.search(r"共 (\d+) 处待完善；网页版：build/report.html$", out.strip())
    assert (root / "build/report.html").is_file() and not (root / "site").exists()
    strict = run(root, "report", "--strict")
    assert strict.returncode == 1 and strict.stdout == out


def test_report_lists_every_kind_of_work_and_escapes_html(root: Path) -> None:
    jia = root / "workers/shi-li-jia/profile.yml"
    edit(jia, "name: 示例劳模甲", "name: <b>甲</b>")
    edit(jia, "honors: [全国劳动模范]", "portrait: small.jpg\ngallery: [work.jpg]\nhonors: [全国劳动模范]")  # fmt: skip
    Image.new("RGB", (300, 400), (90, 60, 40)).save(root / "workers/shi-li-jia/small.jpg")
    Image.new("RGB", (800, 600), (40, 60, 90)).save(root / "workers/shi-li-jia/work.jpg")
    edit(root / "studios/shi-li-studio/studio.yml", "leader: shi-li-jia\n", "")
    edit(root / "content/books/sample-book/b-spring.md", "workers: shi-li-jia\n", "")
    result = run(root, "report")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for block in (
        "公开的档案没有肖像（1）\n  怎么改：把照片放进档案文件夹，写 portrait: 文件名\n  示例劳模乙  workers/shi-li-yi/profile.yml:1\n",
        "荣誉没有年份（2）\n  怎么改：在这项荣誉下写 year: 获得年份\n  <b>甲</b>   全国劳动模范  workers/shi-li-jia/profile.yml:4\n",
        "肖像不到 480 像素宽（1）\n  怎么改：换一张更清晰的照片\n  <b>甲</b>  small.jpg：300 像素宽  workers/shi-li-jia/profile.yml:2\n",
        "相册图片没有替代文字（1）\n  怎么改：写 alt: 一句话描述图片内容\n  <b>甲</b>  work.jpg  workers/shi-li-jia/profile.yml:3\n",
        "工作室没有领衔人（1）\n  怎么改：写 leader: 劳模文件夹名\n  示例创新工作室  studios/shi-li-studio/studio.yml:1\n",
        "劳模不属于任何工作室（2）\n",
        "文章没有写到劳模（1）\n  怎么改：在文章信息头写 workers: [劳模文件夹名]\n  春天的工作室  示例文集——作家眼中的示例劳模  content/books/sample-book/b-spring.md:1\n",
        "劳模人数：按地区\n  （未填写）     2\n",
    ):
        assert block in out, out
    page = (root / "build/report.html").read_text("utf-8")
    assert "&lt;b&gt;甲&lt;/b&gt;" in page and "<b>甲</b>" not in page
    assert "<h2>肖像不到 480 像素宽（1）</h2>" in page
    assert html.unescape(page).count("<b>甲</b>") == 4
    assert run(root, "report", "--strict").returncode == 1


def test_report_strict_passes_when_nothing_needs_work(tmp_path: Path) -> None:
    root = tmp_path / "empty"
    root.mkdir()
    (root / "exhibition.yml").write_text(repo_settings(), "utf-8")
    result = run(root, "report", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "共 0 处待完善" in result.stdout


# -- 7. the new editor's walkthrough (EDITORS.md 二、四) -----------------------------------


WRONG = (  # the template's lines as a new editor fills them
    ("# district: 南湖区          #", "district: 南湖                #"),
    ("  - title: 全国劳动模范\n    # year: 2015", "  - title: 全国劳模\n    year: 2015"),
    ("# studios: [studio-slug]", "studios: [yao-hongfei-studi]"),
    ("publish: false", "publish: true"),
)
FIXED = (
    ("name: 姓名 ", "name: 李华 "),
    ("district: 南湖 ", "district: 南湖区"),
    ("title: 全国劳模", "title: 全国劳动模范"),
    ("summary: 一句话简介", "summary: 电力抢修一线的带头人"),
    ("yao-hongfei-studi]", "yao-hongfei-studio]"),
    ("title: 出处标题（报刊文章名）", "title: 李华：守护万家灯火\n    publisher: 示例日报"),
)


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if text in line)


def test_walkthrough_new_worker_wrong_then_fixed_then_published(tmp_path: Path) -> None:
    """The guide's round trip on a copy of the sample: `showcase new worker`, the template
    filled the way a new editor fills it (short forms, a misspelt folder name, template
    examples left), `showcase check` lists every problem in Chinese at its line, the fixes,
    a clean check, and `showcase site` publishing the page, linked both ways and found by
    the search index."""
    root = copy_sample(tmp_path / "repo")
    created = run(root, "new", "worker", "li-hua")
    assert created.returncode == 0, created.stderr
    assert (
        created.stdout.strip() == "已创建 workers/li-hua/profile.yml：填写后运行 make check 检查。"
    )
    path = root / "workers/li-hua/profile.yml"
    assert run(root, "check").returncode == 0  # an untouched template is a draft: fine
    for old, new in WRONG:
        edit(path, old, new)
    checked = run(root, "check")
    assert checked.returncode == 1 and checked.stdout == ""
    p = "workers/li-hua/profile.yml"
    assert errors(checked.stderr) == [
        f"{p}:{line_of(path, 'name: 姓名')}:7: name: 还是模板里的示例内容「姓名」{FILL}",
        f"{p}:{line_of(path, 'district: 南湖 ')}:11: district: 未知的地区「南湖」（提示：是否指「南湖区」？）",
        f"{p}:{line_of(path, 'title: 全国劳模')}:12: honors[0].title: 未知的荣誉称号「全国劳模」（提示：是否指「全国劳动模范」？）",
        f"{p}:{line_of(path, 'summary: ')}:10: summary: 还是模板里的示例内容「一句话简介」{FILL}",
        f"{p}:{line_of(path, 'studios: [')}:11: studios[0]: 找不到工作室「yao-hongfei-studi」（提示：是否指「yao-hongfei-studio」？）",
        f"{p}:{line_of(path, '出处标题')}:12: sources[0].title: 还是模板里的示例内容「出处标题（报刊文章名）」{FILL}",
    ]  # fmt: skip
    assert checked.stderr.endswith("共 6 个错误：没有写入任何文件，请修改后重试。\n")
    assert not (root / "build/docs").exists() and not (root / "site").exists()

    for old, new in FIXED:
        edit(path, old, new)
    checked = run(root, "check")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("检查通过：6 份劳模档案"), checked.stdout
    published = run(root, "site")
    assert published.returncode == 0, published.stderr
    assert published.stdout.startswith("网站已生成：")
    site = root / "site"
    page = (site / "workers/li-hua/index.html").read_text("utf-8")
    for shown in ("李华", "全国劳动模范", "南湖区", "电力抢修一线的带头人", "李华：守护万家灯火"):
        assert shown in page, shown
    assert "yao-hongfei-studio/" in page
    assert "li-hua/" in (site / "studios/yao-hongfei-studio/index.html").read_text("utf-8")
    assert "li-hua/" in (site / "workers/index.html").read_text("utf-8")
    fragments = [
        text
        for name, data in folder_outputs(site / "pagefind")
        for _, text in texts_of(name, data)
        if "fragment" in name
    ]
    assert any("李华" in text for text in fragments)


def test_guide_screenshots_exist_and_stay_small() -> None:
    """EDITORS.md's pictures (regenerated by bench/screenshots.py) are real PNGs under
    150 KB each."""
    names = re.findall(
        r"!\[[^\]]+\]\((docs/editors/[^)]+\.png)\)", (REPO / "EDITORS.md").read_text("utf-8")
    )
    assert len(names) >= 3, names
    for name in names:
        path = REPO / name
        assert path.stat().st_size < 150_000, (name, path.stat().st_size)
        with Image.open(path) as image:
            assert image.format == "PNG" and image.width >= 800, name
