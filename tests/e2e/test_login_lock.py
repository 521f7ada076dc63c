"""The sign-in screen tells a locked-out user how long to wait, in Chinese and in English."""

WRONG = "not-the-password"


def _try(page, username):
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", WRONG)
    with page.expect_response("**/api/v1/auth/login") as answer:
        page.click("form button")
    return answer.value.status


def test_a_locked_account_is_told_how_long_to_wait(server, phone):
    user = phone()
    user.go("/")
    assert [_try(user.page, "chen") for _ in range(5)] == [401] * 4 + [429]
    user.page.wait_for_selector("text=分钟后再试")
    assert "登录失败次数过多，已暂时锁定，请 1 分钟后再试。" in user.page.inner_text(".login")
    user.shot("login-locked")
    user.page.evaluate("localStorage.setItem('sz.locale', 'en')")
    user.go("/")
    assert _try(user.page, "chen") == 429
    user.page.wait_for_selector("text=try again in 1 min")
