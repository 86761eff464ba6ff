import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Controller, Get, Header, Redirect } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@modelreg/auth';

/** The page, its script and its style, read once at start: no separate build or server is needed to view it. */
const ASSETS = {
  html: readFileSync(join(__dirname, 'index.html'), 'utf8'),
  js: readFileSync(join(__dirname, 'dashboard.js'), 'utf8'),
  css: readFileSync(join(__dirname, 'dashboard.css'), 'utf8'),
  /** Chart.js's browser build, from the installed package: the page loads nothing from elsewhere. */
  chartJs: readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'utf8'),
};

@ApiExcludeController()
@Public(
  'the page, its script, style and chart library carry no registry data; the page calls the API with the reader token its user pastes',
)
@Controller()
export class DashboardController {
  @Get()
  @Redirect('/dashboard', 302)
  root(): void {
    return undefined;
  }

  @Get('dashboard')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'")
  page(): string {
    return ASSETS.html;
  }

  @Get('dashboard/dashboard.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  script(): string {
    return ASSETS.js;
  }

  @Get('dashboard/vendor/chart.umd.min.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'public, max-age=86400')
  chartLibrary(): string {
    return ASSETS.chartJs;
  }

  @Get('dashboard/dashboard.css')
  @Header('content-type', 'text/css; charset=utf-8')
  style(): string {
    return ASSETS.css;
  }
}
