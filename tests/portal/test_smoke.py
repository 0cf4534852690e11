def test_home_page_is_served(client, db):
    from cms.demo import seed_pages

    seed_pages()
    response = client.get("/")
    assert response.status_code == 200
    assert b"MSK accreditation and examinations" in response.content
