"""A project the turn has read already is shown to a person by ``may_see`` (issue 20: the report opened from the
quarter list is not read again): the rule must be ``visible_projects``' exactly, for every role, or a kept row
would show a project the query would have hidden."""

from __future__ import annotations

from api.demo import seed_demo
from conversations.service.loaders import may_see, visible_projects
from models.db import Database
from models.org import User
from models.project import Project
from tests.support.reminders import second_office


async def test_may_see_agrees_with_visible_projects_for_every_person_and_project(database: Database) -> None:
    await seed_demo()
    await second_office()  # a director and an owner of another office, with a project there
    people = await User.all()
    projects = await Project.all()
    compared = 0
    for person in people:
        visible = set(await visible_projects(person).values_list("id", flat=True))
        for project in projects:
            assert may_see(person, project) is (project.id in visible), (person.name, person.role, project.code)
            compared += 1
    assert compared >= 5 * 3
    seen_by = {person.name: sum(may_see(person, project) for project in projects) for person in people}
    assert sorted(set(seen_by.values())) == [1, 2, 3], seen_by  # own project, the office's two, all three
