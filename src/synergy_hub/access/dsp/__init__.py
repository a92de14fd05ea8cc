"""The Dataspace Protocol (DSP 2025-1) catalog: published resources and the offers to accept.

A Dataspace Protocol consumer asks `POST /dsp/catalog/request` for the catalog and
`GET /dsp/catalog/datasets/{id}` for one dataset. Each published resource is a DSP
`Dataset`: its DCAT-AP description as the catalog's DCAT export builds it (`dcat_graph`),
the usage policy negotiation starts from as an ODRL `Offer` (`offers`), and one
distribution, the hub's access request. The module lives in access because offers are
access's; see docs/interop.md.
"""
