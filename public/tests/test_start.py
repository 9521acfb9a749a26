from promises.models import Promise
from promises.tests.factories import make_promise


def test_it_lists_the_latest_published_promise_of_each_municipality(
    client, haninge, nynashamn, django_assert_max_num_queries
):
    make_promise(haninge, 2025, title="Haninge 2025")
    make_promise(haninge, 2026, title="Haninge 2026")
    make_promise(haninge, 2027, title="Haninge 2027", status=Promise.Status.DRAFT)
    make_promise(nynashamn, 2026, title="Nynäshamn 2026")
    with django_assert_max_num_queries(1):
        response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Haninge 2026" in html
    assert "Nynäshamn 2026" in html
    assert "Haninge 2025" not in html
    assert "Haninge 2027" not in html


def test_it_says_so_when_nothing_is_published(client, db):
    response = client.get("/")
    assert "Inga medborgarlöften är publicerade ännu." in response.content.decode()
