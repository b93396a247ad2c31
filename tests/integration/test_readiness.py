def test_readyz_reports_postgresql_and_redis(real_services, client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "postgresql", "broker": "redis"}
