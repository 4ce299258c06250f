<?xml version="1.0" encoding="UTF-8"?>
<!-- Shows an RSS or Atom feed of the digest as a readable page when opened in a browser. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="UTF-8" indent="yes"/>
  <xsl:template match="/">
    <xsl:variable name="title" select="rss/channel/title | atom:feed/atom:title"/>
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/>（订阅源）</title>
        <style>
          body { font-family: -apple-system, BlinkMacSystemFont, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif;
                 max-width: 46rem; margin: 0 auto; padding: 1rem; line-height: 1.7; color: #1d1d1f; background: #fdfdfc; }
          .note { background: #f1efe9; padding: .75rem 1rem; border-radius: 6px; }
          li { margin: 1rem 0; } time { color: #5f6368; font-size: .85rem; } a { color: #b3261e; }
          @media (prefers-color-scheme: dark) { body { color: #e8e6e3; background: #161616; } .note { background: #2b2a28; } a { color: #f28b82; } }
        </style>
      </head>
      <body>
        <p class="note">这是一个订阅源（feed）。把本页地址复制到 RSS 阅读器中即可订阅。</p>
        <h1><xsl:value-of select="$title"/></h1>
        <p><xsl:value-of select="rss/channel/description | atom:feed/atom:subtitle"/></p>
        <p><a href="{rss/channel/link | atom:feed/atom:link[@rel='alternate']/@href}">访问网站 →</a></p>
        <ol>
          <xsl:for-each select="rss/channel/item">
            <li><a href="{link}"><xsl:value-of select="title"/></a><br/>
              <time><xsl:value-of select="pubDate"/></time>
              <p><xsl:value-of select="description"/></p></li>
          </xsl:for-each>
          <xsl:for-each select="atom:feed/atom:entry">
            <li><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a><br/>
              <time><xsl:value-of select="atom:published"/></time>
              <p><xsl:value-of select="atom:summary"/></p></li>
          </xsl:for-each>
        </ol>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
