import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { callCore, createTestCore } from '../support/core';
import { startJoineryServer, type JoineryServer } from './support/joinery-server';

/**
 * DataJoint conventions in the UI: the schema menu and the table panel say which version each
 * schema follows, and the designer lets a new schema be DataJoint 2 (its SQL preview then shows
 * 2.x's type markers) while an existing schema keeps its own.
 */

const SHOTS = 'test-results/screens';
test.describe.configure({ timeout: 120_000 });

async function shoot(page: Page, name: string): Promise<void> {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: `${SHOTS}/conventions-${name}-light.png`, animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: `${SHOTS}/conventions-${name}-dark.png`, animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'light' });
}

test.describe('conventions on a SQLite file with a 0.14 and a 2.x schema', () => {
  let server: JoineryServer;
  let dir: string;

  test.beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'joinery-e2e-conv-'));
    const url = `sqlite:${path.join(dir, 'lab.db')}`;
    const { core, dataDir } = createTestCore();
    try {
      const { id } = (await callCore(core, 'connection.open', { url })) as { id: string };
      const table = (schema: string, class_name: string, definition: string) => ({
        schema,
        class_name,
        tier: 'Manual',
        definition,
      });
      await callCore(core, 'table.declare', {
        connectionId: id,
        conventions: '2',
        tables: [
          table('lab2', 'Subject', '# an animal\nsubject_id : int32\n---\nweight=null : float32'),
          table('lab2', 'LabConfig', '# one row of settings\n---\nlab_name : varchar(64)'),
        ],
      });
      await callCore(core, 'table.declare', {
        connectionId: id,
        conventions: '0.14',
        tables: [table('old', 'Mouse', 'mouse_id : int\n---\nweight : float')],
      });
      await core.dispose();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    server = await startJoineryServer({ db: url });
  });
  test.afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the schema menu and the table panel name each schema conventions', async ({ page }) => {
    await page.goto(server.loginUrl);
    await expect(page.locator('[data-table="lab2.subject"]').first()).toBeVisible({ timeout: 60_000 });
    const menu = page.locator('details.schema-menu');
    await menu.locator('summary').click();
    const group = page.getByRole('group', { name: 'Schemas' });
    await expect(group.locator('li', { hasText: 'lab2' }).locator('[data-conventions]')).toHaveText('DataJoint 2');
    await expect(group.locator('li', { hasText: 'old' }).locator('[data-conventions]')).toHaveText('DataJoint 0.14');
    await shoot(page, 'schema-menu');
    await menu.locator('summary').click();

    await page.locator('[data-table="lab2.lab_config"]').first().click();
    const panel = page.locator('aside.table-panel');
    await expect(panel.locator('[data-conventions]')).toHaveText('DataJoint 2');
    // the singleton's hidden key is not shown as an attribute
    await expect(panel).not.toContainText('_singleton');
    await shoot(page, 'table-panel');
  });

  test('the designer makes a new schema in DataJoint 2; an existing schema keeps its own', async ({ page }) => {
    await page.goto(server.loginUrl);
    await page.getByRole('button', { name: 'New table' }).click();
    const dialog = page.getByRole('dialog', { name: 'New table' });
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('Schema').fill('old');
    await expect(dialog.locator('.designer-conventions [data-conventions]')).toHaveText('DataJoint 0.14');

    await dialog.getByLabel('Schema').fill('fresh');
    await dialog.getByLabel('Conventions').selectOption('2');
    await dialog.getByLabel('Class name').fill('Probe');
    await dialog.getByLabel('Definition').fill('# a probe\nprobe_id : int16\n---\ngain : float64\nmap : <blob>\n');
    const ddl = dialog.locator('[data-ddl]');
    await expect(ddl).toContainText(':int16:');
    await expect(ddl).toContainText(':<blob>:');
    await shoot(page, 'designer-new-schema');

    await dialog.getByRole('button', { name: 'Create table' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.locator('[data-table="fresh.probe"]').first()).toBeVisible({ timeout: 60_000 });
    await page.locator('[data-table="fresh.probe"]').first().click();
    await expect(page.locator('aside.table-panel [data-conventions]')).toHaveText('DataJoint 2');
  });
});
